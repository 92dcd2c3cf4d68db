import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createPrivateKey, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDevIdpConfig, startDevIdp } from '../../src/devidp/index.js';
import { BrowserAgent, formAction } from '../support/browser-agent.js';
import { freePort, serveProcess } from '../support/serve-process.js';

const KEY_FILE = join(import.meta.dirname, '..', 'fixtures', 'keys', 'rsa2048-test-fixture-private.pem');
const dir = mkdtempSync(join(tmpdir(), 'gatehouse-logs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

// Every credential a real session handles, then every log line the process wrote at debug level: none may appear.
describe('the log of a whole session at level debug', () => {
  it('holds no password, token, code, state, cookie, client secret or key material', async () => {
    const secrets = new Map<string, string>();
    const keep = (name: string, value: string | null | undefined) => {
      if (!value || value.length < 8) throw new Error(`${name}: no value captured`);
      secrets.set(name, value);
    };
    const clientSecret = `client-secret-${randomBytes(12).toString('hex')}`;
    const encryptionKey = randomBytes(32).toString('base64');
    const adminInitial = 'initial-Admin-pass-1-logs';
    const adminPassword = 'second Operator passphrase 42';
    const alicePassword = 'alice-demo-password-logs';
    [['client secret', clientSecret], ['encryption key', encryptionKey], ['admin initial password', adminInitial], ['admin password', adminPassword], ['alice password', alicePassword]]
      .forEach(([n, v]) => keep(n!, v));
    keep('admin initial password (base64)', b64(adminInitial));
    keep('admin password (base64)', b64(adminPassword));
    const jwk = createPrivateKey(readFileSync(KEY_FILE)).export({ format: 'jwk' });
    for (const part of ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const) keep(`private key ${part}`, jwk[part]);
    readFileSync(KEY_FILE, 'utf8').split('\n').filter((l) => l.length >= 40 && !l.startsWith('-----')).forEach((l, i) => keep(`private key PEM line ${i}`, l));

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const idp = await startDevIdp({
      port: 0,
      config: loadDevIdpConfig({
        port: 0,
        clients: [{ client_id: 'gh-logs', client_secret: clientSecret, token_endpoint_auth_method: 'client_secret_basic', redirect_uris: [`${base}/callback`], post_logout_redirect_uris: [`${base}/signin`] }],
        users: [{ sub: '100001', username: 'alice', email: 'alice@example.com', name: 'Alice Adams', groups: [], password: alicePassword }],
      }),
    });
    const running = await serveProcess({
      GATEHOUSE_DATA_DIR: dir, SERVER_HOST: '127.0.0.1', SERVER_PORT: String(port), GATEHOUSE_LOG_LEVEL: 'debug',
      AUTHENTICATION_PROVIDER: 'custom-oidc', AUTHENTICATION_AUTHORITY: idp.issuer, AUTHENTICATION_CLIENT_ID: 'gh-logs',
      AUTHENTICATION_CLIENT_TYPE: 'confidential', OIDC_CLIENT_SECRET: clientSecret, OIDC_CLIENT_AUTH_METHOD: 'client_secret_basic',
      AUTHENTICATION_CALLBACK_URL: `${base}/callback`, OIDC_SCOPE: 'openid email profile', GATEHOUSE_BASIC_AUTH_ENABLED: 'true',
      AUTHORIZER_ADMIN_PRINCIPALS: '[admin]', GATEHOUSE_ADMIN_PASSWORD: adminInitial, GATEHOUSE_ENCRYPTION_KEY: encryptionKey,
      RSA_PRIVATE_KEY_FILE_PATH: KEY_FILE,
    });
    try {
      const json = async (path: string, init: { method?: string; body?: unknown; token?: string; headers?: Record<string, string> } = {}) => {
        const response = await fetch(`${base}${path}`, {
          method: init.method ?? 'GET',
          headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...init.headers },
          ...(init.body ? { body: JSON.stringify(init.body) } : {}),
        });
        return { status: response.status, body: (await response.json().catch(() => ({}))) as Record<string, string>, headers: response.headers };
      };

      // SSO: authorize -> IdP login -> /callback?code&state -> session cookie; then the session, a refresh, a logout.
      const agent = new BrowserAgent({ 'user-agent': 'gatehouse-logs' });
      const start = await agent.follow(`${base}/api/v1/auth/login?redirectUri=${encodeURIComponent('/profile')}`);
      const signedIn = await agent.follow(formAction(await start.response.text(), start.url), { form: { username: 'alice', password: alicePassword } });
      expect(signedIn.url).toBe(`${base}/profile`);
      const callback = new URL(agent.hops.find((h) => h.location?.includes('/callback?'))?.location ?? 'http://x/');
      keep('authorization code', callback.searchParams.get('code'));
      keep('state', callback.searchParams.get('state'));
      const host = new URL(base).host;
      keep('SSO session cookie', agent.cookie(host, 'gatehouse_session'));
      expect((await agent.request(`${base}/api/v1/users/loggedInUser`)).status).toBe(200);
      expect((await agent.request(`${base}/api/v1/auth/refresh`)).status).toBe(200);
      expect((await agent.request(`${base}/api/v1/auth/logout`)).status).toBe(303);
      const endSession = new URL(agent.hops.at(-1)?.location ?? 'http://x/');
      keep('ID token (hint)', endSession.searchParams.get('id_token_hint'));

      // Passwords: a wrong one, the forced change, the API's token pair, its refresh, and a browser password session.
      expect((await json('/api/v1/users/login', { method: 'POST', body: { email: 'admin', password: b64('wrong-password-logs') } })).status).toBe(401);
      keep('wrong password', 'wrong-password-logs');
      const first = await json('/api/v1/users/login', { method: 'POST', body: { email: 'admin', password: b64(adminInitial) } });
      keep('first access token', first.body['accessToken']);
      const changed = await json('/api/v1/users/changePassword', { method: 'PUT', token: first.body['accessToken'], body: { oldPassword: adminInitial, newPassword: adminPassword, confirmPassword: adminPassword } });
      expect(changed.status, JSON.stringify(changed.body)).toBe(200);
      const pair = await json('/api/v1/users/login', { method: 'POST', body: { email: 'admin', password: b64(adminPassword) } });
      keep('access token', pair.body['accessToken']);
      keep('refresh token', pair.body['refreshToken']);
      const refreshed = await json('/api/v1/users/refresh', { method: 'POST', body: { refreshToken: pair.body['refreshToken'] } });
      keep('refreshed access token', refreshed.body['accessToken']);
      keep('refreshed refresh token', refreshed.body['refreshToken']);
      const admin = refreshed.body['accessToken'];
      const browser = await json('/api/v1/auth/basic', { method: 'POST', body: { username: 'admin', password: adminPassword }, headers: { origin: base, 'x-requested-with': 'gatehouse' } });
      expect(browser.status).toBe(200);
      keep('password session cookie', /gatehouse_session=([^;]+)/.exec(browser.headers.get('set-cookie') ?? '')?.[1]);

      // Tokens: a bot token and a personal access token, each used, then revoked.
      const bot = await json('/api/v1/bots', { method: 'POST', token: admin, body: { name: 'log-bot' } });
      const botUserId = (bot.body['botUser'] as unknown as { id: string }).id;
      const botToken = await json(`/api/v1/users/generateToken/${botUserId}`, { method: 'PUT', token: admin, body: { JWTTokenExpiry: '7' } });
      keep('bot token', botToken.body['JWTToken']);
      expect((await json('/api/v1/users/loggedInUser', { token: botToken.body['JWTToken'] })).status).toBe(200);
      const pat = await json('/api/v1/users/security/token', { method: 'PUT', token: admin, body: { tokenName: 'laptop', JWTTokenExpiry: '30' } });
      keep('personal access token', pat.body['JWTToken']);
      expect((await json('/api/v1/users/loggedInUser', { token: pat.body['JWTToken'] })).status).toBe(200);
      await json('/api/v1/users/security/token/revoke', { method: 'PUT', token: admin, body: { tokenIds: [pat.body['id']] } });
      expect((await json('/api/v1/users/loggedInUser', { token: pat.body['JWTToken'] })).status).toBe(401);
      expect((await json('/api/v1/users/loggedInUser', { token: `${admin}x` })).status).toBe(401);
      await json('/api/v1/users/logout', { method: 'POST', token: admin, body: { token: admin } });
    } finally {
      await running.stop();
      await idp.close();
    }

    const log = `${running.stdout()}\n${running.stderr()}`;
    const lines = log.split('\n').filter((l) => l.startsWith('{'));
    // The log is real and at debug level: request lines were written, the callback among them with its values removed.
    expect(lines.length).toBeGreaterThan(40);
    expect(log).toContain('/callback?code=***&state=***');
    // A JWT also may not appear in parts (its signature, or payload and signature without the header).
    for (const [name, value] of [...secrets]) {
      const parts = value.split('.');
      if (parts.length === 3) secrets.set(`${name} (signature)`, parts[2]!);
    }
    const hits = [...secrets].filter(([, value]) => log.includes(value)).map(([name]) => name);
    expect(hits).toEqual([]);
  });
});
