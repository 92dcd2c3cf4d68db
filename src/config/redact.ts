import { redactUrl } from '../storage/open-database.js';
import type { GatehouseConfig } from './types.js';

const REDACTED = '***';

/** The effective configuration with every secret replaced, for `config check`, logs and the diagnostics page. */
export function redactConfig(config: GatehouseConfig): Record<string, unknown> {
  return {
    ...config,
    database: { url: config.database.url.startsWith('postgres') ? redactUrl(config.database.url) : config.database.url },
    authentication: {
      ...config.authentication,
      providers: config.authentication.providers.map((p) => ({ ...p, clientSecret: p.clientSecret ? REDACTED : null })),
    },
    bootstrap: {
      admins: config.bootstrap.admins,
      adminPassword: config.bootstrap.adminPassword ? REDACTED : null,
      adminPasswordFile: config.bootstrap.adminPasswordFile,
    },
    encryptionKey: config.encryptionKey ? REDACTED : null,
  };
}
