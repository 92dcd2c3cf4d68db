import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { KyselyPlugin } from 'kysely';
import { createGatehouse, type Gatehouse } from '../../src/compose.js';
import type { CacheSizes } from '../../src/core.js';
import { loadConfigOrThrow } from '../../src/config/index.js';
import { buildApp, type App } from '../../src/http/index.js';
import type { PasswordEngine } from '../../src/crypto/index.js';
import type { Engine } from '../../src/storage/index.js';
import { frozenClock } from '../../src/shared/index.js';
import { freshDatabase } from './databases.js';

export const ADMIN_INITIAL_PASSWORD = 'initial-Admin-pass-1';
export const ADMIN_PASSWORD = 'correct horse battery staple';
/** What userToken() users end up with (after the forced change of the admin-set password). */
export const USER_PASSWORD = 'own-Passphrase-77-x';
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

export interface TestApp {
  app: App;
  gatehouse: Gatehouse;
  /** The database, for tests that play another process writing to it. */
  handle: Awaited<ReturnType<typeof freshDatabase>>;
  clock: ReturnType<typeof frozenClock>;
  dataDir: string;
  /** inject() with an optional bearer token. */
  call(options: InjectOptions & { token?: string }): Promise<LightMyRequestResponse>;
  login(login: string, password: string): Promise<LightMyRequestResponse>;
  /** Signs in the bootstrap admin, changes the initial password once, returns an access token. */
  adminToken(): Promise<string>;
  /** Creates a user with a password (through the API as admin) and returns a token for it. */
  userToken(name: string, options?: { roles?: string[]; password?: string }): Promise<{ id: string; token: string }>;
  close(): Promise<void>;
}

/** A whole Gatehouse on a fresh database with frozen time, driven through app.inject(). */
export async function startTestApp(
  env: Record<string, string> = {},
  options: { engine?: Engine; passwordEngine?: PasswordEngine; plugins?: KyselyPlugin[]; cacheSizes?: CacheSizes } = {},
): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-test-'));
  // Frozen time never refills the sign-in rate limits, so they are off unless a test sets them (the lockout stays on).
  const noRateLimits = { GATEHOUSE_LOGIN_RATE_LIMIT_PER_IP: '0', GATEHOUSE_LOGIN_RATE_LIMIT_PER_ACCOUNT: '0' };
  const config = loadConfigOrThrow({ env: { GATEHOUSE_DATA_DIR: dataDir, GATEHOUSE_ADMIN_PASSWORD: ADMIN_INITIAL_PASSWORD, ...noRateLimits, ...env } });
  const opened = await freshDatabase(options.engine ?? 'sqlite');
  // Plugins (a statement counter) see every statement the services send; the handle's own ping/close stay as they are.
  const handle = { ...opened, db: (options.plugins ?? []).reduce((db, p) => db.withPlugin(p), opened.db) };
  const clock = frozenClock(Date.UTC(2026, 10, 1, 12));
  const gatehouse = await createGatehouse({
    config, handle, clock, ...(options.passwordEngine ? { passwordEngine: options.passwordEngine } : {}), ...(options.cacheSizes ? { cacheSizes: options.cacheSizes } : {}),
  });
  await gatehouse.prepare();
  const app = await buildApp(gatehouse.appDeps);
  let adminToken: string | undefined;

  const call: TestApp['call'] = ({ token, headers, ...rest }) =>
    app.inject({ ...rest, headers: { ...(headers ?? {}), ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  const login = (name: string, password: string) =>
    call({ method: 'POST', url: '/api/v1/users/login', payload: { email: name, password: b64(password) } });

  const self: TestApp = {
    app, gatehouse, handle, clock, dataDir, call, login,
    async adminToken() {
      if (adminToken) return adminToken;
      const first = await login('admin', ADMIN_INITIAL_PASSWORD);
      if (first.statusCode !== 200) throw new Error(`admin login failed: ${first.body}`);
      const initial = first.json<{ accessToken: string }>().accessToken;
      const changed = await call({
        method: 'PUT', url: '/api/v1/users/changePassword', token: initial,
        payload: { oldPassword: ADMIN_INITIAL_PASSWORD, newPassword: ADMIN_PASSWORD, confirmPassword: ADMIN_PASSWORD },
      });
      if (changed.statusCode !== 200) throw new Error(`admin password change failed: ${changed.body}`);
      const second = await login('admin', ADMIN_PASSWORD);
      adminToken = second.json<{ accessToken: string }>().accessToken;
      return adminToken;
    },
    async userToken(name, opts = {}) {
      const admin = await self.adminToken();
      const created = await call({ method: 'POST', url: '/api/v1/users', token: admin, payload: { name, email: `${name}@example.com`, roles: opts.roles ?? [] } });
      if (created.statusCode !== 201) throw new Error(`create user failed: ${created.body}`);
      const id = created.json<{ id: string }>().id;
      const password = opts.password ?? 'initial-Passphrase-77';
      const reset = await call({
        method: 'PUT', url: '/api/v1/users/changePassword', token: admin,
        payload: { requestType: 'USER', username: name, newPassword: password, confirmPassword: password },
      });
      if (reset.statusCode !== 200) throw new Error(`reset failed: ${reset.body}`);
      // A reset password must be changed by its owner before anything else.
      const first = (await login(name, password)).json<{ accessToken: string }>().accessToken;
      const own = USER_PASSWORD;
      await call({ method: 'PUT', url: '/api/v1/users/changePassword', token: first, payload: { oldPassword: password, newPassword: own, confirmPassword: own } });
      const res = await login(name, own);
      return { id, token: res.json<{ accessToken: string }>().accessToken };
    },
    async close() {
      await app.close();
      await gatehouse.close();
      await handle.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return self;
}
