export { loadEnvFile, parseEnvFile } from './env-file.js';
export type { EnvFile } from './env-file.js';
export { loadConfig, loadConfigOrThrow } from './load-config.js';
export type { LoadConfigInput, LoadConfigResult } from './load-config.js';
export { redactConfig, redactUrl } from './redact.js';
export { DEFAULTS, SETTINGS } from './settings.js';
export type { DefaultedPath, Setting } from './settings.js';
export type {
  ClientAuthMethod,
  ClientType,
  Environment,
  GatehouseConfig,
  GatewayConfig,
  GatewayRuleConfig,
  OidcProviderConfig,
  TokenAlgorithm,
} from './types.js';
