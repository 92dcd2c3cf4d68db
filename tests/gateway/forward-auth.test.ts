import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_IDENTITY_HEADERS } from '../../src/gateway/index.js';
import { sessionCookie } from '../../src/sessions/index.js';
import { startTestApp, USER_PASSWORD, type TestApp } from '../support/test-app.js';
import { writeGatewayConfig } from './gateway-config.js';

const NGINX = '/api/v1/gateway/auth-request';
const CADDY = '/api/v1/gateway/forward-auth';
const ENVOY = '/api/v1/gateway/ext-authz';
const HTML = 'text/html,application/xhtml+xml';

describe('forward-auth endpoints', () => {
  let t: TestApp;
  let admin: string;
  let reader: { id: string; token: string };
  let cookieName: string;

  const nginx = (method: string, uri: string, headers: Record<string, string> = {}) =>
    t.call({ method: 'GET', url: NGINX, headers: { host: 'data.example.com', 'x-original-method': method, 'x-original-uri': uri, 'x-forwarded-proto': 'https', ...headers } });
  const caddy = (method: string, uri: string, headers: Record<string, string> = {}) =>
    t.call({ method: 'GET', url: CADDY, headers: { host: '127.0.0.1:8585', 'x-forwarded-method': method, 'x-forwarded-uri': uri, 'x-forwarded-host': 'data.example.com', 'x-forwarded-proto': 'https', ...headers } });

  async function sessionOf(username: string, password: string): Promise<string> {
    const res = await t.call({
      method: 'POST', url: '/api/v1/auth/basic', payload: { username, password },
      headers: { origin: new URL(t.gatehouse.appDeps.config.server.publicUrl).origin, 'x-requested-with': 'gatehouse' },
    });
    const cookie = res.cookies.find((c) => c.name === cookieName);
    if (res.statusCode !== 200 || !cookie) throw new Error(`browser sign-in failed: ${res.body}`);
    return cookie.value;
  }
  async function botToken(name: string, roles: string[]) {
    const bot = await t.call({ method: 'POST', url: '/api/v1/bots', token: admin, payload: { name, roles } });
    const id = bot.json<{ botUser: { id: string } }>().botUser.id;
    const res = await t.call({ method: 'PUT', url: `/api/v1/users/generateToken/${id}`, token: admin, payload: { JWTTokenExpiry: '7' } });
    return { id, token: res.json<{ JWTToken: string }>().JWTToken };
  }

  beforeAll(async () => {
    t = await startTestApp({ GATEHOUSE_CONFIG: writeGatewayConfig(mkdtempSync(join(tmpdir(), 'gatehouse-gw-'))) });
    admin = await t.adminToken();
    reader = await t.userToken('reader', { roles: ['DataConsumer'] });
    cookieName = sessionCookie(t.gatehouse.appDeps.config.server.publicUrl).name;
  });
  afterAll(async () => {
    await t.close();
  });

  it('lets a reader GET /api with identity headers and an assertion that verifies from the JWKS alone', async () => {
    const res = await nginx('GET', '/api/v1/tables?limit=1', { authorization: `Bearer ${reader.token}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers).toMatchObject({
      'x-auth-request-user': 'reader', 'x-auth-request-email': 'reader@example.com', 'x-gatehouse-roles': 'DataConsumer',
      'x-auth-request-groups': 'DataConsumer', 'x-gatehouse-auth-method': 'user-token', 'x-gatehouse-admin': 'false',
    });
    const jwks = (await t.call({ method: 'GET', url: '/api/v1/system/config/jwks' })).json<JSONWebKeySet>();
    const assertion = String(res.headers['x-gatehouse-assertion']);
    expect(assertion.length).toBeLessThan(1000);
    const { payload } = await jwtVerify(assertion, createLocalJWKSet(jwks), {
      issuer: t.gatehouse.appDeps.config.jwt.issuer, audience: 'https://data.example.com', currentDate: new Date(t.clock.now()),
    });
    expect(payload).toMatchObject({ sub: 'reader', email: 'reader@example.com', roles: ['DataConsumer'], admin: false });
    // gateway.audiences names the audience for the hosts it lists.
    const app = await nginx('GET', '/x', { host: 'lineage.apps.example.com', authorization: `Bearer ${reader.token}` });
    const claims = await jwtVerify(String(app.headers['x-gatehouse-assertion']), createLocalJWKSet(jwks), { audience: 'catalog-apps', currentDate: new Date(t.clock.now()) });
    expect(claims.payload.aud).toBe('catalog-apps');
    // nginx and Envoy check with the original method, HEAD included.
    const head = await t.call({ method: 'HEAD', url: NGINX, headers: { host: 'data.example.com', 'x-original-method': 'HEAD', 'x-original-uri': '/api/v1/tables', authorization: `Bearer ${reader.token}` } });
    expect(head.statusCode).toBe(200);
    expect(head.headers['x-auth-request-user']).toBe('reader');
  });

  it('answers 403 to a role rule, and to a target that cannot be judged (nginx takes only 2xx/401/403)', async () => {
    const write = await nginx('DELETE', '/api/v1/tables/1', { authorization: `Bearer ${reader.token}` });
    expect(write.statusCode).toBe(403);
    expect(write.json()).toMatchObject({ code: 'FORBIDDEN' });
    expect(write.headers['x-auth-request-user']).toBeUndefined();
    for (const uri of ['/api/v1;v1%2fusers', '/healthz/..;/admin', '/admin%2fx']) {
      const res = await nginx('GET', uri, { authorization: `Bearer ${reader.token}` });
      expect(res.statusCode, uri).toBe(403);
    }
    expect((await nginx('GET', '/healthz/..;/admin', { authorization: `Bearer ${reader.token}` })).json()).toMatchObject({ code: 'FORBIDDEN' });
    const override = await nginx('GET', '/api/v1/tables', { authorization: `Bearer ${reader.token}`, 'x-http-method-override': 'DELETE' });
    expect(override.json()).toMatchObject({ code: 'GATEWAY_TARGET_REFUSED' });
    const events = await t.gatehouse.services.audit.list({ type: 'gateway.refuse', limit: 50, offset: 0 });
    expect(events.data.some((e) => e.targetName === 'DELETE data.example.com/api/v1/tables/1' && e.actorName === 'reader')).toBe(true);
    expect(JSON.stringify(events.data)).not.toContain(reader.token);
    // Anonymous refusals are not audited: anyone could send them by the thousand.
    expect((await nginx('GET', '/api/v1;v1%2fusers')).statusCode).toBe(403);
    const after = await t.gatehouse.services.audit.list({ type: 'gateway.refuse', limit: 50, offset: 0 });
    expect(after.total).toBe(events.total);
  });

  it('answers API clients 401 (JSON) and browsers 401 with the sign-in URL (nginx) or 302 (Caddy, Envoy)', async () => {
    const api = await nginx('POST', '/api/v1/tables', { accept: 'application/json' });
    expect(api.statusCode).toBe(401);
    expect(api.json()).toMatchObject({ code: 'AUTH_REQUIRED' });
    expect(api.headers['x-gatehouse-signin']).toBeUndefined();
    expect((await nginx('GET', '/api/v1/tables', { accept: 'application/json' })).headers['x-gatehouse-signin']).toBeUndefined();

    const browser = await nginx('GET', '/dashboards/1?tab=a%20b', { accept: HTML });
    expect(browser.statusCode).toBe(401);
    const signin = new URL(String(browser.headers['x-gatehouse-signin']));
    expect(signin.pathname).toBe('/signin');
    expect(signin.searchParams.get('returnTo')).toBe('https://data.example.com/dashboards/1?tab=a%20b');

    const viaCaddy = await caddy('GET', '/dashboards/1', { accept: HTML });
    expect(viaCaddy.statusCode).toBe(302);
    expect(new URL(String(viaCaddy.headers.location)).searchParams.get('returnTo')).toBe('https://data.example.com/dashboards/1');
    expect((await caddy('GET', '/dashboards/1', { accept: 'application/json' })).statusCode).toBe(401);

    const viaEnvoy = await t.call({ method: 'GET', url: `${ENVOY}/dashboards/2`, headers: { host: 'data.example.com', accept: HTML, 'x-forwarded-proto': 'https' } });
    expect(viaEnvoy.statusCode).toBe(302);
    expect(new URL(String(viaEnvoy.headers.location)).searchParams.get('returnTo')).toBe('https://data.example.com/dashboards/2');
    expect((await t.call({ method: 'DELETE', url: `${ENVOY}/dashboards/2`, headers: { host: 'data.example.com' } })).statusCode).toBe(401);
    // Public paths pass without anyone signed in, with every identity header present and empty.
    const health = await nginx('GET', '/healthz');
    expect(health.statusCode).toBe(200);
    expect(health.headers['x-auth-request-user']).toBe('');
  });

  it('never puts a host off the allow-list into the sign-in URL, and the return bounce refuses open redirects', async () => {
    const evil = await caddy('GET', '/x', { accept: HTML, 'x-forwarded-host': 'evil.example.net' });
    expect(String(evil.headers.location)).toBe(`${new URL('/signin', t.gatehouse.appDeps.config.server.publicUrl).href}`);
    // nginx mode ignores a client-sent X-Forwarded-Host: the host nginx set decides.
    const spoofedHost = await nginx('GET', '/x', { accept: HTML, 'x-forwarded-host': 'evil.example.net' });
    expect(new URL(String(spoofedHost.headers['x-gatehouse-signin'])).searchParams.get('returnTo')).toBe('https://data.example.com/x');
    const bounce = (to: string) => t.call({ method: 'GET', url: `/api/v1/gateway/return?to=${encodeURIComponent(to)}` });
    expect((await bounce('https://data.example.com/dashboards/1?x=1')).headers.location).toBe('https://data.example.com/dashboards/1?x=1');
    for (const attack of ['//evil.example.net', '/\\evil.example.net', 'https://evil.example.net/', 'https://data.example.com@evil.example.net/',
      'https://data.example.com.evil.example.net/', 'https:evil.example.net', 'javascript:alert(1)', 'https://data.example.com%2f@evil.example.net/',
      'https://evil.example.net#@data.example.com', '/%2f%2fevil.example.net', 'https://xn--dta-ema.example.com/']) {
      const res = await bounce(attack);
      expect(res.statusCode, attack).toBe(303);
      expect(res.headers.location, attack).toBe('/');
    }
  });

  it('ignores identity headers the client sent: only Gatehouse decides who it is', async () => {
    const spoofed = Object.fromEntries(ALL_IDENTITY_HEADERS.map((name) => [name, 'admin']));
    const anonymous = await nginx('GET', '/admin/users', { ...spoofed, 'x-gatehouse-admin': 'true', accept: 'application/json' });
    expect(anonymous.statusCode).toBe(401);
    const asReader = await nginx('GET', '/api/v1/tables', { ...spoofed, authorization: `Bearer ${reader.token}` });
    expect(asReader.headers['x-auth-request-user']).toBe('reader');
    expect(asReader.headers['x-gatehouse-admin']).toBe('false');
  });

  it('refuses a revoked bot token and a logged-out session on the very next check', async () => {
    const bot = await botToken('catalog-loader', ['DataSteward']);
    expect((await caddy('POST', '/api/v1/tables', { authorization: `Bearer ${bot.token}` })).headers['x-gatehouse-auth-method']).toBe('bot');
    await t.call({ method: 'PUT', url: '/api/v1/users/revokeToken', token: admin, payload: { id: bot.id } });
    const revoked = await caddy('POST', '/api/v1/tables', { authorization: `Bearer ${bot.token}` });
    expect(revoked.statusCode).toBe(401);
    expect(revoked.headers['x-auth-request-user']).toBeUndefined();

    const session = await sessionOf('reader', USER_PASSWORD);
    const cookie = `${cookieName}=${session}`;
    // A cookie-authenticated POST through the proxy is judged by the rules, not by the API's CSRF rule.
    const viaSession = await nginx('GET', '/dashboards', { cookie, accept: HTML });
    expect(viaSession.statusCode).toBe(200);
    expect(viaSession.headers['x-gatehouse-auth-method']).toBe('session');
    const post = await t.call({ method: 'POST', url: NGINX, headers: { host: 'data.example.com', cookie, 'x-original-method': 'POST', 'x-original-uri': '/dashboards/1', origin: 'https://elsewhere.example.org' } });
    expect(post.statusCode).toBe(200);
    const origin = new URL(t.gatehouse.appDeps.config.server.publicUrl).origin;
    expect((await t.call({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, origin, 'x-requested-with': 'gatehouse' } })).statusCode).toBe(200);
    const after = await nginx('GET', '/dashboards', { cookie, accept: HTML });
    expect(after.statusCode).toBe(401);
    expect(after.headers['x-gatehouse-signin']).toMatch(/\/signin\?returnTo=/);
  });

  it('answers a proxy that does not say which request to check with 403, and ambiguous credentials with 403', async () => {
    const missing = await t.call({ method: 'GET', url: NGINX, headers: { host: 'data.example.com' } });
    expect(missing.statusCode).toBe(403);
    expect((await t.call({ method: 'GET', url: CADDY, headers: { 'x-forwarded-method': 'GET', 'x-forwarded-uri': '/' } })).statusCode).toBe(403);
    const two = await t.call({ method: 'GET', url: NGINX, headers: { host: 'data.example.com', 'x-original-method': 'GET', 'x-original-uri': '/', authorization: [`Bearer ${reader.token}`, `Bearer ${admin}`] as unknown as string } });
    expect(two.statusCode).toBe(403);
    expect(two.json().detail).toMatch(/AUTH_AMBIGUOUS_CREDENTIALS/);
  });

  it('reads ingress-nginx\'s X-Original-URL when there is no X-Original-URI', async () => {
    const res = await t.call({ method: 'GET', url: NGINX, headers: { host: 'gatehouse.svc', 'x-original-url': 'https://data.example.com/admin/x', 'x-original-method': 'GET', authorization: `Bearer ${admin}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-gatehouse-admin']).toBe('true');
    const denied = await t.call({ method: 'GET', url: NGINX, headers: { host: 'gatehouse.svc', 'x-original-url': 'https://data.example.com/admin/x', 'x-original-method': 'GET', authorization: `Bearer ${reader.token}` } });
    expect(denied.statusCode).toBe(403);
    // The absolute URL decides over X-Original-URI (the shipped nginx.conf sets both, so neither is the client's).
    const both = await t.call({ method: 'GET', url: NGINX, headers: { host: 'data.example.com', 'x-original-url': 'https://data.example.com/admin/x', 'x-original-uri': '/healthz', 'x-original-method': 'GET', accept: 'application/json' } });
    expect(both.statusCode).toBe(401);
  });
});
