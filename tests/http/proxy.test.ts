import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, USER_PASSWORD, type TestApp } from '../support/test-app.js';
import { startTestUpstream, writeTestConfig, type TestUpstream } from '../support/upstream.js';

const RULES = `
gateway:
  rules:
    - { pathPrefix: /public, allow: public }
    - { pathPrefix: /catalog, allow: authenticated }
    - { pathPrefix: /html, allow: authenticated }
    - { pathPrefix: /stewards, allow: [DataSteward] }
    - { pathPrefix: /slow, allow: public }
`;

describe('built-in proxy', () => {
  let t: TestApp;
  let upstream: TestUpstream;
  let admin: string;
  let bob: string;

  beforeAll(async () => {
    upstream = await startTestUpstream();
    t = await startTestApp({ GATEHOUSE_CONFIG: writeTestConfig(RULES), GATEHOUSE_UPSTREAM: upstream.url, GATEHOUSE_PROXY_HEADERS_TIMEOUT_MS: '500' });
    admin = await t.adminToken();
    bob = (await t.userToken('bob', { roles: ['DataConsumer'] })).token;
  });
  afterAll(async () => {
    await t.close();
    await upstream.close();
  });

  const last = () => upstream.seen[upstream.seen.length - 1];

  it('forwards an allowed request with identity headers and streams the answer back unchanged', async () => {
    const res = await t.call({ method: 'GET', url: '/catalog/tables?q=1', token: bob });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ method: 'GET', url: '/catalog/tables?q=1' });
    expect(res.headers['x-upstream']).toBe('yes');
    expect(last()?.headers).toMatchObject({ 'x-auth-request-user': 'bob', 'x-gatehouse-roles': 'DataConsumer', 'x-gatehouse-auth-method': 'user-token', 'x-auth-request-email': 'bob@example.com' });
  });

  it('lets anyone through a public rule', async () => {
    const res = await t.call({ method: 'POST', url: '/public/x', payload: { a: 1 } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ method: 'POST', url: '/public/x' });
    expect(last()?.headers['x-auth-request-user']).toBeUndefined();
  });

  it('answers API clients 401 JSON and sends browser navigations to sign-in with the original URL', async () => {
    const before = upstream.seen.length;
    const api = await t.call({ method: 'GET', url: '/catalog/tables', headers: { accept: 'application/json' } });
    expect(api.statusCode).toBe(401);
    expect(api.json()).toMatchObject({ code: 'AUTH_REQUIRED' });
    const page = await t.call({ method: 'GET', url: '/catalog/tables?x=1', headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(page.statusCode).toBe(302);
    expect(page.headers.location).toBe(`/signin?returnTo=${encodeURIComponent('/catalog/tables?x=1')}`);
    const post = await t.call({ method: 'POST', url: '/catalog/tables', headers: { accept: 'text/html' }, payload: 'x' });
    expect(post.statusCode).toBe(401);
    expect(upstream.seen.length).toBe(before);
  });

  it('forbids a signed-in user the rules do not allow: a 403 page for browsers, JSON for API clients', async () => {
    const api = await t.call({ method: 'GET', url: '/stewards/x', token: bob });
    expect(api.statusCode).toBe(403);
    expect(api.json()).toMatchObject({ code: 'FORBIDDEN' });
    // No rule matches: the default (deny) refuses even administrators.
    expect((await t.call({ method: 'GET', url: '/elsewhere', token: admin })).statusCode).toBe(403);
  });

  it('judges the path as the upstream reads it: dot segments and matrix parameters cannot reach a stricter path', async () => {
    const res = await t.call({ method: 'GET', url: '/public/..;/stewards/x', token: bob });
    expect(res.statusCode).toBe(403);
    expect((await t.call({ method: 'GET', url: '/public/%2e%2e/stewards', token: bob })).statusCode).toBe(403);
    expect((await t.call({ method: 'GET', url: '/public/a%2fb' })).statusCode).toBe(400);
  });

  it('removes spoofed identity headers in every spelling, and the caller\'s Authorization', async () => {
    const res = await t.call({
      method: 'GET', url: '/catalog/spoof', token: bob,
      headers: { 'X-Auth-Request-User': 'alice', 'x_auth_request_email': 'alice@example.com', 'X-GATEHOUSE-ROLES': 'Admin', 'x-gatehouse-assertion': 'forged', 'x-forwarded-user': 'alice', 'x-auth-request-extra': 'x' },
    });
    expect(res.statusCode).toBe(200);
    const seen = last();
    expect(seen?.headers['x-auth-request-user']).toBe('bob');
    expect(seen?.headers['x-gatehouse-roles']).toBe('DataConsumer');
    expect(seen?.headers['x-auth-request-email']).toBe('bob@example.com');
    // Gatehouse's own signed assertion, never the client's copy.
    expect(seen?.headers['x-gatehouse-assertion']).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(seen?.headers['authorization']).toBeUndefined();
    const names = seen?.rawHeaderNames.map((n) => n.toLowerCase().replaceAll('_', '-')) ?? [];
    expect(names.filter((n) => n === 'x-auth-request-user' || n === 'x-auth-request-email')).toHaveLength(2);
    expect(names).not.toContain('x-forwarded-user');
    expect(names).not.toContain('x-auth-request-extra');
  });

  it('never forwards Gatehouse\'s session or sign-in cookie, and keeps the others', async () => {
    await t.call({ method: 'GET', url: '/catalog/c', token: bob, headers: { cookie: 'theme=dark; gatehouse_session=stolen; gatehouse_signin=tx; upstream_sid=42' } });
    expect(last()?.headers.cookie).toBe('theme=dark; upstream_sid=42');
  });

  it('sets X-Forwarded-For/Proto/Host itself, ignoring the client\'s (no trusted proxy in front)', async () => {
    await t.call({ method: 'GET', url: '/catalog/f', token: bob, headers: { host: 'data.example.com:8443', 'x-forwarded-for': '6.6.6.6', 'x-forwarded-proto': 'https', forwarded: 'for=6.6.6.6', 'x-real-ip': '6.6.6.6' } });
    const headers = last()?.headers ?? {};
    expect(headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(headers['x-forwarded-proto']).toBe('http');
    expect(headers['x-forwarded-host']).toBe('data.example.com:8443');
    expect(headers['forwarded']).toBeUndefined();
    expect(headers['x-real-ip']).toBeUndefined();
    expect(headers.host).toBe(new URL(upstream.url).host);
  });

  it('relays the upstream\'s HTML as it is: no Gatehouse CSP or cache headers on it', async () => {
    const res = await t.call({ method: 'GET', url: '/html/page', token: bob });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toBeUndefined();
    expect(res.headers['cache-control']).toBeUndefined();
  });

  it('answers 504 when the upstream does not answer in time (headers timeout 500 ms)', async () => {
    const api = await t.call({ method: 'GET', url: '/slow', headers: { accept: 'application/json' } });
    expect(api.statusCode).toBe(504);
    expect(api.json()).toMatchObject({ code: 'GATEWAY_UPSTREAM_TIMEOUT' });
    const page = await t.call({ method: 'GET', url: '/slow', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(504);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('did not answer in time');
  });

  it('with the session cookie, lets same-origin unsafe requests through without X-Requested-With, and refuses cross-site ones', async () => {
    const origin = new URL(t.gatehouse.appDeps.config.server.publicUrl).origin;
    const signIn = await t.call({ method: 'POST', url: '/api/v1/auth/basic', payload: { username: 'bob', password: USER_PASSWORD }, headers: { origin, 'x-requested-with': 'gatehouse' } });
    const session = signIn.cookies.find((c) => c.name === 'gatehouse_session')?.value;
    expect(session).toBeTruthy();
    const cookies = { gatehouse_session: session ?? '' };
    const same = await t.call({ method: 'POST', url: '/catalog/save', cookies, headers: { origin }, payload: { a: 1 } });
    expect(same.statusCode).toBe(200);
    expect(last()?.headers['x-auth-request-user']).toBe('bob');
    expect(last()?.headers['x-gatehouse-auth-method']).toBe('session');
    expect(last()?.headers.cookie).toBeUndefined();
    const before = upstream.seen.length;
    const cross = await t.call({ method: 'POST', url: '/catalog/save', cookies, headers: { origin: 'https://evil.example' }, payload: { a: 1 } });
    expect(cross.statusCode).toBe(403);
    expect(cross.json()).toMatchObject({ code: 'AUTH_CSRF' });
    expect((await t.call({ method: 'POST', url: '/catalog/save', cookies, payload: { a: 1 } })).statusCode).toBe(403);
    expect(upstream.seen.length).toBe(before);
  });

  it('keeps Gatehouse\'s own routes: its API is not proxied', async () => {
    const res = await t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', token: bob });
    expect(res.json()).toMatchObject({ name: 'bob' });
  });
});

describe('built-in proxy, upstream down', () => {
  let t: TestApp;
  beforeAll(async () => {
    const { unusedPort } = await import('../support/upstream.js');
    t = await startTestApp({ GATEHOUSE_CONFIG: writeTestConfig('gateway:\n  rules:\n    - { pathPrefix: /, allow: public }\n'), GATEHOUSE_UPSTREAM: `http://127.0.0.1:${await unusedPort()}` });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 502 with a clear page for browsers and JSON for API clients when the connection is refused', async () => {
    const page = await t.call({ method: 'GET', url: '/catalog', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(502);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('Application unavailable');
    expect(page.body).toContain('cannot be reached');
    const api = await t.call({ method: 'POST', url: '/catalog/api', headers: { accept: 'application/json' }, payload: { a: 1 } });
    expect(api.statusCode).toBe(502);
    expect(api.json()).toMatchObject({ code: 'GATEWAY_UPSTREAM_UNAVAILABLE' });
  });
});
