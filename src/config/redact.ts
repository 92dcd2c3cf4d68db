import type { GatehouseConfig } from './types.js';

const REDACTED = '***';

/** Removes the password from a connection URL so it can be logged. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = REDACTED;
    return parsed.toString();
  } catch {
    return '(unparseable database URL)';
  }
}

/**
 * A request target for the log: the path, and the query's parameter names with every value replaced. Query values carry
 * authorization codes, state, tokens and return paths (`/callback?code=…&state=…`); names alone are enough to debug.
 */
export function redactQueryValues(target: string): string {
  const mark = target.indexOf('?');
  if (mark < 0) return target;
  const names = target
    .slice(mark + 1)
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => `${pair.split('=')[0] ?? ''}=${REDACTED}`);
  return `${target.slice(0, mark)}?${names.join('&')}`;
}

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
    metrics: { ...config.metrics, token: config.metrics.token ? REDACTED : null },
    encryptionKey: config.encryptionKey ? REDACTED : null,
  };
}
