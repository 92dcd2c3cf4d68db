import { asInt, asString, type Problems } from './coerce.js';
import type { RawSource } from './raw-source.js';
import type { GatehouseConfig } from './types.js';

const MIN_TOKEN_LENGTH = 32;

/** metrics.token and metrics.port: who may read /metrics (see docs/operations.md). */
export function metricsSettings(raw: RawSource, problems: Problems, serverPort: number): GatehouseConfig['metrics'] {
  const token = asString(raw.get('metrics.token'), problems) ?? null;
  // The token is compared in constant time, but a short one can still be guessed; metrics reveal user and traffic counts.
  if (token !== null && token.length < MIN_TOKEN_LENGTH) {
    problems.add(`${raw.label('metrics.token')} must be at least ${MIN_TOKEN_LENGTH} characters (openssl rand -hex 24)`);
  }
  const port = asInt(raw.get('metrics.port'), problems, 0, 65_535) ?? null;
  if (port !== null && port !== 0 && port === serverPort) {
    problems.add(`${raw.label('metrics.port')} must differ from the server port ${serverPort}; leave it unset to serve /metrics on the main port`);
  }
  return { token, port };
}
