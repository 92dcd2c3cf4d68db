import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createGatehouse, type Gatehouse } from '../../src/compose.js';
import { loadConfigOrThrow, type GatehouseConfig } from '../../src/config/index.js';
import { buildApp, type App } from '../../src/http/index.js';
import { metricsOnMainPort } from '../../src/http/metrics-access.js';
import { createPrometheusMetrics, providerEndpoint, timedFetch } from '../../src/metrics/index.js';
import { frozenClock } from '../../src/shared/index.js';
import { countActiveSessions } from '../../src/storage/index.js';
import { freshDatabase } from '../support/databases.js';
import { ADMIN_INITIAL_PASSWORD, ADMIN_PASSWORD } from '../support/test-app.js';
import { startTestUpstream, writeTestConfig, type TestUpstream } from '../support/upstream.js';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const TOKEN = 'metrics-token-0123456789abcdefghijklmnop';

/** The value of one sample line (`name{labels} value`) in Prometheus text, or undefined when absent. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

interface MetricsApp { app: App; gatehouse: Gatehouse; config: GatehouseConfig; exporter: ReturnType<typeof createPrometheusMetrics>; close(): Promise<void> }

async function start(env: Record<string, string> = {}): Promise<MetricsApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-metrics-'));
  const config = loadConfigOrThrow({ env: { GATEHOUSE_DATA_DIR: dataDir, GATEHOUSE_ADMIN_PASSWORD: ADMIN_INITIAL_PASSWORD, ...env } });
  const handle = await freshDatabase('sqlite');
  const clock = frozenClock(Date.UTC(2026, 10, 1, 12));
  const exporter = createPrometheusMetrics({ activeSessions: () => countActiveSessions(handle.db, clock.now()), poolUsage: () => handle.poolUsage() });
  const gatehouse = await createGatehouse({ config, handle, clock, metrics: exporter });
  await gatehouse.prepare();
  const app = await buildApp(gatehouse.appDeps);
  return {
    app, gatehouse, config, exporter,
    async close() {
      await app.close();
      await gatehouse.close();
      await handle.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let m: MetricsApp | undefined;
afterEach(async () => {
  await m?.close();
  m = undefined;
});

describe('Prometheus metrics', () => {
  it('counts sign-ins, lockouts, bearer checks, cache lookups, sessions and request latency by route pattern', async () => {
    m = await start({ GATEHOUSE_MAX_LOGIN_FAIL_ATTEMPTS: '3' });
    const { app } = m;
    const login = (password: string) => app.inject({ method: 'POST', url: '/api/v1/users/login', payload: { email: 'admin', password: b64(password) } });
    const token = (await login(ADMIN_INITIAL_PASSWORD)).json<{ accessToken: string }>().accessToken;
    const me = () => app.inject({ method: 'GET', url: '/api/v1/users/loggedInUser', headers: { authorization: `Bearer ${token}` } });
    expect((await me()).statusCode).toBe(200);
    expect((await me()).statusCode).toBe(200);
    const garbage = await app.inject({ method: 'GET', url: '/api/v1/users/loggedInUser', headers: { authorization: 'Bearer a.b.c' } });
    expect(garbage.statusCode).toBe(401);
    const userId = (await me()).json<{ id: string }>().id;
    // The bootstrap admin must change its password first: a 403, still timed under the route pattern.
    await app.inject({ method: 'GET', url: `/api/v1/users/${userId}`, headers: { authorization: `Bearer ${token}` } });
    const browser = await app.inject({
      method: 'POST', url: '/api/v1/auth/basic', payload: { username: 'admin', password: ADMIN_INITIAL_PASSWORD },
      headers: { origin: m.config.server.publicUrl, 'x-requested-with': 'gatehouse' },
    });
    expect(browser.statusCode).toBe(200);
    for (let i = 0; i < 3; i += 1) expect((await login('wrong-password')).statusCode).toBe(401);
    m.exporter.metrics.forwardAuthDecision('allow');

    const scrape = await app.inject({ method: 'GET', url: '/metrics' });
    expect(scrape.statusCode).toBe(200);
    expect(scrape.headers['content-type']).toContain('text/plain');
    const text = scrape.body;
    expect(sample(text, 'gatehouse_sign_ins_total', 'method="password",provider="",outcome="success"')).toBe(2);
    expect(sample(text, 'gatehouse_sign_ins_total', 'method="password",provider="",outcome="failure"')).toBe(3);
    expect(sample(text, 'gatehouse_lockouts_total')).toBe(1);
    expect(sample(text, 'gatehouse_bearer_verifications_total', 'kind="user-token",outcome="ok"')).toBe(4);
    expect(sample(text, 'gatehouse_bearer_verifications_total', 'kind="unknown",outcome="AUTH_TOKEN_INVALID"')).toBe(1);
    expect(sample(text, 'gatehouse_cache_lookups_total', 'cache="verified-tokens",result="hit"')).toBe(3);
    expect(sample(text, 'gatehouse_cache_lookups_total', 'cache="verified-tokens",result="miss"')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'gatehouse_cache_lookups_total', 'cache="principals",result="miss"')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'gatehouse_active_sessions')).toBe(1);
    expect(sample(text, 'gatehouse_forward_auth_decisions_total', 'outcome="allow"')).toBe(1);
    expect(sample(text, 'gatehouse_http_request_duration_seconds_count', 'route="/api/v1/users/loggedInUser",method="GET",status="200"')).toBe(3);
    expect(sample(text, 'gatehouse_http_request_duration_seconds_count', 'route="/api/v1/users/:id",method="GET",status="403"')).toBe(1);
    // Route patterns only: no user id, no token, ever, in a label.
    expect(text).not.toContain(userId);
    expect(text).not.toContain(token.split('.')[2]);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
  });

  it('counts the gateway decisions (allow, sign-in, forbidden) of the forward-auth endpoints and the built-in proxy', async () => {
    const upstream: TestUpstream = await startTestUpstream();
    try {
      const rules = 'gateway:\n  rules:\n    - { pathPrefix: /catalog, methods: [GET], allow: [DataConsumer] }\n    - { pathPrefix: /, allow: [Admin] }\n';
      m = await start({ GATEHOUSE_CONFIG: writeTestConfig(rules), GATEHOUSE_UPSTREAM: upstream.url });
      const { app } = m;
      const login = async (password: string) =>
        (await app.inject({ method: 'POST', url: '/api/v1/users/login', payload: { email: 'admin', password: b64(password) } })).json<{ accessToken: string }>().accessToken;
      const initial = await login(ADMIN_INITIAL_PASSWORD);
      await app.inject({ method: 'PUT', url: '/api/v1/users/changePassword', headers: { authorization: `Bearer ${initial}` }, payload: { oldPassword: ADMIN_INITIAL_PASSWORD, newPassword: ADMIN_PASSWORD, confirmPassword: ADMIN_PASSWORD } });
      const admin = { authorization: `Bearer ${await login(ADMIN_PASSWORD)}` };
      const created = await app.inject({ method: 'POST', url: '/api/v1/bots', headers: admin, payload: { name: 'metrics-reader', roles: ['DataConsumer'] } });
      const botId = created.json<{ botUser: { id: string } }>().botUser.id;
      const generated = await app.inject({ method: 'PUT', url: `/api/v1/users/generateToken/${botId}`, headers: admin, payload: { JWTTokenExpiry: '7' } });
      const reader = { authorization: `Bearer ${generated.json<{ JWTToken: string }>().JWTToken}` };
      const outcomes = async () => {
        const text = await m!.exporter.render();
        return Object.fromEntries(['allow', 'sign-in', 'forbidden'].map((o) => [o, sample(text, 'gatehouse_forward_auth_decisions_total', `outcome="${o}"`) ?? 0]));
      };
      expect(await outcomes()).toEqual({ allow: 0, 'sign-in': 0, forbidden: 0 });

      // The forward-auth endpoint (nginx's): one allow, one sign-in, two forbidden (a rule; no original request at all).
      const check = (method: string, uri: string, headers: Record<string, string>) =>
        app.inject({ method: 'GET', url: '/api/v1/gateway/auth-request', headers: { host: 'data.example.com', 'x-original-method': method, 'x-original-uri': uri, ...headers } });
      expect((await check('GET', '/catalog/t', reader)).statusCode).toBe(200);
      expect((await check('GET', '/catalog/t', { accept: 'application/json' })).statusCode).toBe(401);
      expect((await check('DELETE', '/catalog/t', reader)).statusCode).toBe(403);
      expect((await app.inject({ method: 'GET', url: '/api/v1/gateway/auth-request', headers: reader })).statusCode).toBe(403);
      expect(await outcomes()).toEqual({ allow: 1, 'sign-in': 1, forbidden: 2 });

      // The built-in proxy: the same three outcomes.
      expect((await app.inject({ method: 'GET', url: '/catalog/t', headers: reader })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/catalog/t', headers: { accept: 'application/json' } })).statusCode).toBe(401);
      expect((await app.inject({ method: 'GET', url: '/elsewhere', headers: reader })).statusCode).toBe(403);
      expect(await outcomes()).toEqual({ allow: 2, 'sign-in': 2, forbidden: 3 });
    } finally {
      await upstream.close();
    }
  });

  it('asks for the metrics token when one is set, and is absent on a production main port without one', async () => {
    m = await start({ GATEHOUSE_METRICS_TOKEN: TOKEN });
    const get = (authorization?: string) => m!.app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });
    expect((await get()).statusCode).toBe(401);
    expect((await get(`Bearer ${TOKEN}x`)).statusCode).toBe(401);
    const ok = await get(`Bearer ${TOKEN}`);
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('gatehouse_sign_ins_total');
    const production = (metrics: GatehouseConfig['metrics']) => ({ ...m!.config, environment: 'production' as const, metrics });
    expect(metricsOnMainPort(production({ token: null, port: null }))).toBe(false);
    expect(metricsOnMainPort(production({ token: TOKEN, port: null }))).toBe(true);
    expect(metricsOnMainPort(production({ token: TOKEN, port: 9464 }))).toBe(false);
    expect(() => loadConfigOrThrow({ env: { GATEHOUSE_METRICS_TOKEN: 'short' } })).toThrow(/at least 32 characters/);
  });

  it('times provider calls by host and endpoint from a fixed set', async () => {
    m = await start();
    const fetchTimed = timedFetch(m.exporter.metrics, async () => new Response('{}', { status: 200 }));
    await fetchTimed('https://idp.example/oidc/2/token', { method: 'POST' });
    await fetchTimed('https://idp.example/oidc/2/.well-known/openid-configuration');
    const failing = timedFetch(m.exporter.metrics, async () => {
      throw new TypeError('fetch failed');
    });
    await expect(failing('https://idp.example/oidc/2/certs')).rejects.toThrow('fetch failed');
    const text = await m.exporter.render();
    expect(sample(text, 'gatehouse_provider_request_duration_seconds_count', 'host="idp.example",endpoint="token",outcome="ok"')).toBe(1);
    expect(sample(text, 'gatehouse_provider_request_duration_seconds_count', 'host="idp.example",endpoint="discovery",outcome="ok"')).toBe(1);
    expect(sample(text, 'gatehouse_provider_request_duration_seconds_count', 'host="idp.example",endpoint="jwks",outcome="error"')).toBe(1);
    expect(providerEndpoint(new URL('https://x/oidc/2/me'))).toBe('userinfo');
    expect(providerEndpoint(new URL('https://x/oidc/2/token/revocation'))).toBe('revocation');
    expect(providerEndpoint(new URL('https://x/some/other/path'))).toBe('other');
  });
});
