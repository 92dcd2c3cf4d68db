import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatehouseError } from '../errors/index.js';
import { isLoopbackHost, silentLogger, type Logger } from '../shared/index.js';
import { createAccountDirectory } from './accounts.js';
import type { DevIdpConfig } from './config-types.js';
import { handleInteraction, InteractionRefused } from './interactions.js';
import { createMemoryStorage } from './memory-adapter.js';
import { errorPage, PAGE_HEADERS } from './pages.js';
import { createOidcProvider, INTERACTION_PATH, ISSUER_PATH } from './provider.js';

/** A running development IdP. */
export interface RunningDevIdp {
  /** `http://<host>:<port>/oidc/2`, OneLogin's issuer shape. */
  readonly issuer: string;
  readonly port: number;
  /** Stops listening, drops open connections and forgets every session and token. */
  close(): Promise<void>;
  /** Tests: change a user's groups at the IdP (as an admin would in OneLogin); seen on the next refresh or userinfo. */
  setUserGroups(sub: string, groups: string[]): void;
  /** Tests: remove a user at the IdP; its refresh tokens, userinfo and new sign-ins then fail. */
  disableUser(sub: string): void;
}

/** Options of startDevIdp; everything else comes from the configuration. */
export interface StartDevIdpOptions {
  config: DevIdpConfig;
  /** Overrides config.port; 0 picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** `production` is refused. */
  environment?: string;
  logger?: Logger;
}

const INTERACTION = new RegExp(`^${INTERACTION_PATH}/([A-Za-z0-9_-]{1,64})$`);

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * OneLogin demands id_token_hint with post_logout_redirect_uri (oidc-provider would also take client_id alone).
 * Checked on GET, the way RPs send the browser there.
 */
function logoutWithoutHint(req: IncomingMessage, path: string, query: URLSearchParams): boolean {
  return req.method === 'GET' && path === `${ISSUER_PATH}/logout` && query.has('post_logout_redirect_uri') && !query.get('id_token_hint');
}

/**
 * Starts the OneLogin-compatible development IdP: issuer http://127.0.0.1:<port>/oidc/2, users and clients from
 * the configuration, everything else (keys, sessions, tokens) in memory and new at every start.
 * Throws DEVIDP_PRODUCTION in production mode: it holds demo users with known passwords.
 */
export async function startDevIdp(options: StartDevIdpOptions): Promise<RunningDevIdp> {
  if (options.environment === 'production') throw new GatehouseError('DEVIDP_PRODUCTION');
  const logger = options.logger ?? silentLogger;
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) logger.warn({ host }, 'the development IdP listens beyond this machine; its demo passwords are public');
  const accounts = createAccountDirectory(options.config.users);
  const storage = createMemoryStorage();
  let handle: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server = createServer((req, res) => {
    if (handle) handle(req, res);
    else res.writeHead(503, { 'content-type': 'text/plain' }).end('starting');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? options.config.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const issuerHost = `${urlHost(host)}:${port}`;
  const issuer = `http://${issuerHost}${ISSUER_PATH}`;
  const provider = createOidcProvider({ issuer, config: options.config, accounts, storage });
  provider.on('server_error', (_ctx, error) => logger.error({ err: error }, 'dev IdP error'));
  provider.on('backchannel.error', (_ctx, error, client) => logger.warn({ err: error, client: client.clientId }, 'back-channel logout delivery failed'));
  const callback = provider.callback();
  const deps = { provider, accounts, interactionPath: INTERACTION_PATH };

  function refuse(res: ServerResponse, status: number, error: string, description: string): void {
    if (!res.headersSent) res.writeHead(status, PAGE_HEADERS).end(errorPage(error, description));
  }

  handle = (req, res) => {
    const url = new URL(req.url ?? '/', 'http://idp.invalid');
    if (url.pathname !== ISSUER_PATH && !url.pathname.startsWith(`${ISSUER_PATH}/`)) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`Not found. The development IdP's issuer is ${issuer}\n`);
      return;
    }
    const uid = INTERACTION.exec(url.pathname)?.[1];
    if (uid) {
      handleInteraction(deps, req, res, uid).catch((error: unknown) => {
        const known = error instanceof InteractionRefused;
        logger.warn({ err: error }, 'dev IdP sign-in step refused');
        refuse(res, known ? error.status : 400, 'invalid_request', known ? error.message : 'This sign-in request expired or is not valid.');
      });
      return;
    }
    if (logoutWithoutHint(req, url.pathname, url.searchParams)) {
      refuse(res, 400, 'invalid_request', 'id_token_hint is required with post_logout_redirect_uri.');
      return;
    }
    // oidc-provider builds endpoint URLs from the Host header; a request must not be able to rename them.
    req.headers.host = issuerHost;
    // oidc-provider is mounted under the issuer path: it reads its mount point from originalUrl versus url.
    const original = req.url ?? '/';
    (req as IncomingMessage & { originalUrl?: string }).originalUrl = original;
    const rest = original.slice(ISSUER_PATH.length);
    req.url = rest.startsWith('/') ? rest : `/${rest}`;
    void callback(req, res);
  };

  return {
    issuer,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections (browsers, fetch) would otherwise hold close() open.
        server.closeAllConnections();
        storage.clear();
      }),
    setUserGroups: (sub, groups) => accounts.setGroups(sub, groups),
    disableUser: (sub) => accounts.disable(sub),
  };
}
