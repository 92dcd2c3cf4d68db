import { fileURLToPath } from 'node:url';
import { loadDevIdpConfig, startDevIdp, type DevIdpConfig } from '../../devidp/index.js';
import { parseCommandArgs } from '../args.js';
import type { CliCommand, CliIo } from '../command.js';
import { stopOnSignals } from './serve.js';

export const DEFAULT_DEV_IDP_CONFIG = fileURLToPath(new URL('../../../config/dev-idp.example.yaml', import.meta.url));

/** Prints what a newcomer needs: the issuer, the clients and the demo users (plain demo passwords come from the file). */
export function describeDevIdp(io: CliIo, issuer: string, config: DevIdpConfig): void {
  io.out(`Development IdP (OneLogin-compatible, NOT for production): issuer ${issuer}`);
  for (const c of config.clients) io.out(`  client ${c.client_id} (${c.token_endpoint_auth_method === 'none' ? 'public, PKCE' : c.token_endpoint_auth_method})`);
  for (const u of config.users) {
    io.out(`  user ${u.username.padEnd(8)} password ${u.password ?? '(hashed in the file)'}  groups ${u.groups.join(', ') || '-'}`);
  }
}

/** `gatehouse dev-idp [--config file] [--port 9090]`. */
export const devIdpCommand: CliCommand = {
  name: 'dev-idp',
  summary: 'Run the OneLogin-compatible development IdP (demo users; refuses production)',
  usage: 'gatehouse dev-idp [--config config/dev-idp.example.yaml] [--port 9090]',
  async run(args, io) {
    const { values } = parseCommandArgs(args, { config: { type: 'string', short: 'c' }, port: { type: 'string' } });
    const config = loadDevIdpConfig(values.config ?? DEFAULT_DEV_IDP_CONFIG);
    const idp = await startDevIdp({ config, ...(values.port ? { port: Number(values.port) } : {}), environment: io.env['GATEHOUSE_ENV'] ?? 'development' });
    describeDevIdp(io, idp.issuer, config);
    stopOnSignals(idp.close);
    return 'running';
  },
};
