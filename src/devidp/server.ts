import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import argon2 from 'argon2';
import { safeEqual } from '../crypto/index.js';
import { GatehouseError } from '../errors/index.js';
import { silentLogger, type Logger } from '../shared/index.js';
import type { DevIdpConfig, DevIdpUser } from './config.js';
import { loginPage } from './pages.js';
import { createOidcProvider, ISSUER_PATH } from './provider.js';

export interface RunningDevIdp {
  issuer: string;
  port: number;
  close(): Promise<void>;
  /** Tests: change a user's groups at the IdP (as an admin would in OneLogin). */
  setUserGroups(sub: string, groups: string[]): void;
  /** Tests: remove a user at the IdP; its refresh tokens and userinfo then fail. */
  disableUser(sub: string): void;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > 16_384) throw new Error('form too large');
  }
  return new URLSearchParams(body);
}

async function passwordMatches(user: DevIdpUser, password: string): Promise<boolean> {
  if (user.password_hash) return argon2.verify(user.password_hash, password).catch(() => false);
  return user.password !== undefined && safeEqual(user.password, password);
}

/**
 * Starts the OneLogin-compatible development IdP on loopback: issuer http://127.0.0.1:<port>/oidc/2.
 * Refuses production mode: it holds demo users and in-memory keys.
 */
export async function startDevIdp(options: { config: DevIdpConfig; port?: number; host?: string; environment?: string; logger?: Logger }): Promise<RunningDevIdp> {
  if (options.environment === 'production') throw new GatehouseError('DEVIDP_PRODUCTION');
  const logger = options.logger ?? silentLogger;
  const host = options.host ?? '127.0.0.1';
  const groups = new Map(options.config.users.map((u) => [u.sub, [...u.groups]]));
  const disabled = new Set<string>();
  const accounts = {
    find: (sub: string) => (disabled.has(sub) ? undefined : options.config.users.find((u) => u.sub === sub)),
    groupsOf: (user: DevIdpUser) => groups.get(user.sub) ?? [],
  };
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? options.config.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://${host}:${port}${ISSUER_PATH}`;
  const provider = createOidcProvider(issuer, options.config, accounts);
  provider.on('server_error', (_ctx, error) => logger.error({ err: error }, 'dev IdP error'));
  provider.on('backchannel.error', (_ctx, error, client) => logger.warn({ err: error, client: client.clientId }, 'back-channel logout delivery failed'));
  const callback = provider.callback();

  async function interaction(req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error('interaction mismatch');
    const clientId = String(details.params['client_id'] ?? '');
    const action = `${ISSUER_PATH}/interaction/${uid}`;
    if (details.prompt.name === 'consent') {
      // Consent is implied for configured clients (as for an app assigned to the user in OneLogin).
      const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId: details.session?.accountId ?? '', clientId });
      if (!grant) throw new Error('grant not found');
      grant.addOIDCScope(String(details.params['scope'] ?? 'openid'));
      await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
      return;
    }
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(loginPage({ action, clientId }));
      return;
    }
    const form = await readForm(req);
    const login = (form.get('username') ?? '').trim().toLowerCase();
    const user = options.config.users.find((u) => !disabled.has(u.sub) && (u.username.toLowerCase() === login || u.email.toLowerCase() === login));
    if (!user || !(await passwordMatches(user, form.get('password') ?? ''))) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
        .end(loginPage({ action, clientId, error: 'Wrong user name or password.', username: login }));
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: user.sub } }, { mergeWithLastSubmission: false });
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    if (!url.startsWith(`${ISSUER_PATH}/`) && url !== ISSUER_PATH) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const match = /^\/oidc\/2\/interaction\/([A-Za-z0-9_-]+)$/.exec(url.split('?')[0] ?? '');
    if (match?.[1]) {
      interaction(req, res, match[1]).catch((error: unknown) => {
        logger.warn({ err: error }, 'dev IdP interaction failed');
        if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain' }).end('This sign-in request expired or is not valid; start again from the application.');
      });
      return;
    }
    // oidc-provider works out its mount path from originalUrl vs url.
    (req as IncomingMessage & { originalUrl?: string }).originalUrl = url;
    req.url = url.slice(ISSUER_PATH.length) || '/';
    void callback(req, res);
  });

  return {
    issuer,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    setUserGroups: (sub, list) => void groups.set(sub, [...list]),
    disableUser: (sub) => void disabled.add(sub),
  };
}
