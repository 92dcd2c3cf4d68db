import { loadDevIdpConfig } from '../../devidp/config.js';
import { startGatehouse } from '../../main.js';
import { parseCommandArgs } from '../args.js';
import type { CliCommand } from '../command.js';
import { DEFAULT_DEV_IDP_CONFIG, describeDevIdp, loadDevIdpServer } from './dev-idp.js';
import { configOrReport, printLast, quietInTerminal, stopOnSignals } from './serve.js';

/**
 * `gatehouse start` (npm start): Gatehouse with the development IdP, preconfigured, so a newcomer signs in
 * "with OneLogin" at once. Password sign-in stays on for the bootstrap admin. Development only.
 */
export const startCommand: CliCommand = {
  name: 'start',
  summary: 'Run Gatehouse with the development IdP, preconfigured (quick start)',
  usage: 'gatehouse start [--dev-idp-config file]',
  async run(args, io) {
    const { values } = parseCommandArgs(args, { 'dev-idp-config': { type: 'string' } });
    if (io.env['GATEHOUSE_ENV'] === 'production') {
      io.err('`gatehouse start` is the development quick start; in production run `gatehouse serve` with your real OneLogin settings.');
      return 1;
    }
    const idpConfig = loadDevIdpConfig(values['dev-idp-config'] ?? DEFAULT_DEV_IDP_CONFIG);
    const { startDevIdp } = await loadDevIdpServer();
    const idp = await startDevIdp({ config: idpConfig });
    const client = idpConfig.clients[0];
    if (!client) return 1;
    // The quick start's defaults; anything set in the environment wins.
    const env = {
      AUTHENTICATION_PROVIDER: 'custom-oidc',
      CUSTOM_OIDC_AUTHENTICATION_PROVIDER_NAME: 'OneLogin',
      AUTHENTICATION_AUTHORITY: idp.issuer,
      AUTHENTICATION_CLIENT_ID: client.client_id,
      AUTHENTICATION_CALLBACK_URL: client.redirect_uris[0] ?? 'http://127.0.0.1:8585/callback',
      AUTHENTICATION_PUBLIC_KEYS: `[${idp.issuer}/certs,http://127.0.0.1:8585/api/v1/system/config/jwks]`,
      OIDC_SCOPE: 'openid email profile groups',
      GATEHOUSE_GROUP_ROLE_MAPPING: '{"data-stewards":["DataSteward"],"data-consumers":["DataConsumer"]}',
      AUTHORIZER_ADMIN_PRINCIPALS: '[admin,alice]',
      GATEHOUSE_BOOTSTRAP_ADMINS: '[admin]',
      GATEHOUSE_BASIC_AUTH_ENABLED: 'true',
      GATEHOUSE_BASIC_AUTH_ADMINS_ONLY: 'false',
      ...Object.fromEntries(Object.entries(io.env).filter((e): e is [string, string] => e[1] !== undefined)),
    };
    // The quick start is always watched by a person: quiet request log unless GATEHOUSE_LOG_LEVEL is set.
    const quiet = quietInTerminal({ ...io, interactive: true }, env);
    const config = configOrReport(io, undefined, quiet.env);
    if (!config) {
      await idp.close();
      return 1;
    }
    const running = await startGatehouse(config);
    io.out('');
    describeDevIdp(io, idp.issuer, idpConfig);
    io.out('');
    io.out(`Gatehouse is running on ${running.url}: open ${config.server.publicUrl}/signin`);
    io.out('  - "Sign in with OneLogin": use a demo user above (alice is an administrator).');
    io.out(running.notices.length > 0
      ? '  - Password sign-in: user "admin" with the one-time password below (shown at this first start only; you must change it).'
      : '  - Password sign-in: user "admin" with the one-time password printed at the first start (you must change it).');
    io.out(`API description: ${config.server.publicUrl}/api/v1/docs   Stop with Ctrl+C.`);
    printLast(io, quiet.quieted, running.notices);
    stopOnSignals(async () => {
      await running.close();
      await idp.close();
    });
    return 'running';
  },
};
