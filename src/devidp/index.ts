export { loadDevIdpConfig } from './config.js';
export type { DevIdpAuthMethod, DevIdpClient, DevIdpConfig, DevIdpUser } from './config-types.js';
export { startDevIdp } from './server.js';
export type { RunningDevIdp, StartDevIdpOptions } from './server.js';
