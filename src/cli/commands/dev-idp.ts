import { fileURLToPath } from 'node:url';
// Not the devidp index: it loads the server, and with it oidc-provider (see loadDevIdpServer).
import { loadDevIdpConfig } from '../../devidp/config.js';
import type { DevIdpConfig } from '../../devidp/config-types.js';
import type { RunningDevIdp } from '../../devidp/server.js';
import { parseCommandArgs } from '../args.js';
import type { CliCommand, CliIo } from '../command.js';
import { stopOnSignals } from './serve.js';

/**
 * The development IdP's server, loaded only by the commands that run it: `gatehouse serve` in production must not load
 * oidc-provider (a development tool, and code a production process has no use for).
 */
export const loadDevIdpServer = () => import('../../devidp/server.js');

export const DEFAULT_DEV_IDP_CONFIG = fileURLToPath(new URL('../../../config/dev-idp.example.yaml', import.meta.url));

const AUTH_LABELS = {
  none: 'public, PKCE S256 (OneLogin Token Endpoint "None (PKCE)")',
  client_secret_basic: 'confidential, secret in the Authorization header (OneLogin "Basic"); secret in the config file',
  client_secret_post: 'confidential, secret in the form body (OneLogin "POST"); secret in the config file',
} as const;

/**
 * Prints what a newcomer needs: issuer, clients and demo users. Plain demo passwords are printed (they are in the
 * example file anyway); hashed users' passwords are unknown here and client secrets stay in the file.
 */
export function describeDevIdp(io: CliIo, issuer: string, config: DevIdpConfig): void {
  io.out('Gatehouse development IdP (OneLogin-compatible) - NOT for production');
  io.out(`  issuer     ${issuer}`);
  io.out(`  discovery  ${issuer}/.well-known/openid-configuration`);
  io.out(`  groups     sent ${config.groupsFormat === 'semicolon' ? 'as one semicolon-delimited string' : 'as an array'} (scope "groups")`);
  for (const c of config.clients) {
    io.out(`  client ${c.client_id}: ${AUTH_LABELS[c.token_endpoint_auth_method]}`);
    io.out(`    redirect ${c.redirect_uris.join(', ')}`);
  }
  for (const u of config.users) {
    const password = u.password ?? '(argon2id hash in the file)';
    io.out(`  user ${u.preferred_username.padEnd(8)} password ${password}  groups ${u.groups.join(', ') || '-'}`);
  }
}

/** Parses the arguments and starts the IdP; returns an exit code instead when the arguments are wrong. */
export async function startDevIdpFromArgs(args: string[], io: CliIo): Promise<RunningDevIdp | number> {
  const { values, positionals } = parseCommandArgs(args, { config: { type: 'string', short: 'c' }, port: { type: 'string', short: 'p' } });
  if (positionals.length > 0) {
    // `gatehouse dev-idp my.yaml` would otherwise silently start with the example file.
    io.err(`Unexpected argument "${positionals[0] ?? ''}"; use --config <file> and --port <number>.`);
    return 2;
  }
  let port: number | undefined;
  if (values.port !== undefined) {
    port = /^\d{1,5}$/.test(values.port) ? Number(values.port) : Number.NaN;
    if (!(port >= 0 && port <= 65_535)) {
      io.err(`--port must be a whole number from 0 to 65535; got "${values.port}"`);
      return 2;
    }
  }
  const config = loadDevIdpConfig(values.config ?? DEFAULT_DEV_IDP_CONFIG);
  const { startDevIdp } = await loadDevIdpServer();
  const idp = await startDevIdp({ config, ...(port !== undefined ? { port } : {}), environment: io.env['GATEHOUSE_ENV'] ?? 'development' });
  describeDevIdp(io, idp.issuer, config);
  return idp;
}

/** `gatehouse dev-idp [--config file] [--port 9090]`. */
export const devIdpCommand: CliCommand = {
  name: 'dev-idp',
  summary: 'Run the OneLogin-compatible development IdP (demo users; refuses production)',
  usage: 'gatehouse dev-idp [--config config/dev-idp.example.yaml] [--port 9090]',
  async run(args, io) {
    const started = await startDevIdpFromArgs(args, io);
    if (typeof started === 'number') return started;
    io.out('Stop with Ctrl+C.');
    stopOnSignals(started.close);
    return 'running';
  },
};
