import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/index.js';
import { ADMIN_PAGE_PATHS } from '../../src/shared/index.js';
import { rawGet, rawRequest, type RawResponse } from '../support/raw-http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('hostile request bodies and headers get 4xx, never 500 or internals', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startTestApp({ GATEHOUSE_BODY_LIMIT: '65536' });
    admin = await t.adminToken();
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (payload: string, headers: Record<string, string> = {}) =>
    t.call({ method: 'POST', url: '/api/v1/users', token: admin, payload, headers: { 'content-type': 'application/json', ...headers } });

  it.each([
    ['extra field isAdmin on login', '/api/v1/users/login', '{"email":"admin","password":"eA==","isAdmin":true}', 400],
    ['wrong type', '/api/v1/users', '{"name":123}', 400],
    ['string where boolean expected', '/api/v1/users', '{"name":"abc","isAdmin":"true"}', 400],
    ['extra field isBot', '/api/v1/users', '{"name":"abc","isBot":true}', 400],
    ['duplicate keys', '/api/v1/users', '{"name":"abc","isAdmin":false,"isAdmin":true}', 400],
    ['deep nesting', '/api/v1/users', `{"name":${'['.repeat(100)}${']'.repeat(100)}}`, 400],
    ['malformed JSON', '/api/v1/users', '{"name":', 400],
    ['array body', '/api/v1/users', '[1,2,3]', 400],
    ['__proto__ pollution', '/api/v1/users', '{"name":"abc","__proto__":{"isAdmin":true}}', 400],
  ])('%s', async (_name, url, payload, status) => {
    const res = await t.call({ method: 'POST', url, token: admin, payload, headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(status);
    expect(res.json().code).toBe('REQUEST_INVALID');
    expect(res.body).not.toMatch(/at .*\.(js|ts):\d+|node_modules|stack/);
  });

  it('refuses an oversized body with 413', async () => {
    const res = await post(JSON.stringify({ name: 'x'.repeat(70_000) }));
    expect([res.statusCode, res.json().code]).toEqual([413, 'REQUEST_TOO_LARGE']);
  });

  it('refuses other content types with 415', async () => {
    const res = await post('name=abc', { 'content-type': 'application/x-www-form-urlencoded' });
    expect([res.statusCode, res.json().code]).toEqual([415, 'REQUEST_UNSUPPORTED_MEDIA_TYPE']);
  });

  it('refuses a malformed Authorization header even on public routes', async () => {
    for (const authorization of ['Basic YWRtaW46YWRtaW4=', 'Bearer', 'Bearer not-a-jwt', `Bearer ${admin} extra`]) {
      const res = await t.call({ method: 'GET', url: '/api/v1/system/version', headers: { authorization } });
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toMatch(/^AUTH_TOKEN_/);
    }
  });

  it('rejects bad query parameters and ids', async () => {
    expect((await t.call({ method: 'GET', url: '/api/v1/users?limit=1000001', token: admin })).statusCode).toBe(400);
    expect((await t.call({ method: 'GET', url: '/api/v1/users?limit=abc', token: admin })).statusCode).toBe(400);
    expect((await t.call({ method: 'GET', url: '/api/v1/users?evil=1', token: admin })).statusCode).toBe(400);
    expect((await t.call({ method: 'GET', url: `/api/v1/users/${'x'.repeat(300)}`, token: admin })).statusCode).toBe(414);
    expect((await t.call({ method: 'GET', url: '/api/v1/users/%E0%A4%A', token: admin })).statusCode).toBe(400);
  });

  it('sets protective headers and never caches API answers', async () => {
    const res = await t.call({ method: 'GET', url: '/api/v1/system/version' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
  });
});

describe('every error comes in the project\'s format: coded JSON for programs, a page for browsers', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await startTestApp({ GATEHOUSE_BODY_LIMIT: '65536' });
    // Oversized headers and chunked bodies need Node's real HTTP parser, which inject() bypasses.
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    port = (t.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await t.close();
  });

  const expectCoded = (res: RawResponse, status: number, code: string) => {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(res.body)).toEqual({ code, message: expect.any(String), requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  };

  it('431: headers over the limit, answered before Fastify sees the request', async () => {
    expectCoded(await rawGet(port, '/api/v1/system/version', [['X-Padding', 'a'.repeat(20_000)]]), 431, 'REQUEST_HEADERS_TOO_LARGE');
    const manyCookies = Array.from({ length: 400 }, (_, i) => `c${i}=${'v'.repeat(40)}`).join('; ');
    expectCoded(await rawGet(port, '/', [['Cookie', manyCookies]]), 431, 'REQUEST_HEADERS_TOO_LARGE');
  });

  it('400: a request the HTTP parser cannot read', async () => {
    expectCoded(await rawRequest(port, 'GET / HTTP/1.1\r\nHost: a\r\nNot a header\r\n\r\n'), 400, 'REQUEST_INVALID');
  });

  it('413: a body over the limit, announced or chunked', async () => {
    const head = 'POST /api/v1/users/login HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nConnection: close\r\n';
    expectCoded(await rawRequest(port, `${head}Content-Length: 100000000\r\n\r\n{}`), 413, 'REQUEST_TOO_LARGE');
    const body = JSON.stringify({ email: 'x'.repeat(70_000), password: 'eA==' });
    expectCoded(await rawRequest(port, `${head}Transfer-Encoding: chunked\r\n\r\n${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n0\r\n\r\n`), 413, 'REQUEST_TOO_LARGE');
  });

  it('405 with Allow for a known address and another method; 404 for an unknown address', async () => {
    const version = await t.call({ method: 'DELETE', url: '/api/v1/system/version' });
    expect([version.statusCode, version.headers['allow'], version.json().code]).toEqual([405, 'GET, HEAD', 'REQUEST_METHOD_NOT_ALLOWED']);
    const users = await t.call({ method: 'PATCH', url: '/api/v1/users' });
    expect([users.statusCode, users.headers['allow']]).toEqual([405, 'GET, HEAD, POST, PUT']);
    // A path parameter is one segment, as the router reads it.
    const login = await t.call({ method: 'GET', url: '/api/v1/users/login/x' });
    expect([login.statusCode, login.json().code]).toEqual([404, 'NOT_FOUND']);
    const unknown = await t.call({ method: 'DELETE', url: '/api/v1/no-such-thing' });
    expect([unknown.statusCode, unknown.headers['allow'], unknown.json().code]).toEqual([404, undefined, 'NOT_FOUND']);
  });

  it('a browser navigating to an unknown page gets the UI (its "Page not found" page) with 404; API paths always get JSON', async () => {
    const accept = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
    const page = await t.call({ method: 'GET', url: '/no-such-page?x=<script>', headers: { accept } });
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    // The app's own index.html: its router shows the not-found page (tests/browser/plain-words.test.ts looks at it).
    expect(page.body).toBe((await t.call({ method: 'GET', url: '/profile', headers: { accept } })).body);
    expect(page.body).toMatch(/<div id="root">/);
    expect(page.body).not.toContain('<script>');
    // Without a built UI, a small page of the server's own says the same.
    const bare = await buildApp(t.gatehouse.appDeps, { uiDir: mkdtempSync(join(tmpdir(), 'gatehouse-no-ui-')) });
    const plain = await bare.inject({ method: 'GET', url: '/no-such-page', headers: { accept } });
    expect(plain.statusCode).toBe(404);
    expect(plain.body).toMatch(/<h1>Page not found<\/h1>[\s\S]*href="\/"/);
    expect(plain.body).toMatch(/Request id: [0-9a-f-]{36}</);
    expect(plain.body).not.toMatch(/<script|<style|style=|on[a-z]+=/i);
    await bare.close();
    for (const [url, headers] of [['/api/v1/no-such-thing', { accept }], ['/no-such-page', { accept: 'application/json' }], ['/no-such-page', {}]] as const) {
      const res = await t.call({ method: 'GET', url, headers });
      expect([res.statusCode, res.json().code], url).toEqual([404, 'NOT_FOUND']);
    }
    const posted = await t.call({ method: 'POST', url: '/no-such-page', headers: { accept } });
    expect([posted.statusCode, posted.json().code]).toEqual([404, 'NOT_FOUND']);
  });

  it('under /admin only the pages that exist answer 200; any other address gets the UI with 404', async () => {
    const accept = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
    const app = (await t.call({ method: 'GET', url: '/profile', headers: { accept } })).body;
    for (const url of ['/admin', ...ADMIN_PAGE_PATHS]) {
      const res = await t.call({ method: 'GET', url, headers: { accept } });
      expect([res.statusCode, res.body === app], url).toEqual([200, true]);
    }
    for (const url of ['/admin/no-such-page', '/admin/users/extra', '/admin/', '/admin/Users']) {
      const res = await t.call({ method: 'GET', url, headers: { accept } });
      expect([res.statusCode, res.body === app], url).toEqual([404, true]);
    }
    const program = await t.call({ method: 'GET', url: '/admin/no-such-page' });
    expect([program.statusCode, program.json().code]).toEqual([404, 'NOT_FOUND']);
  });
});
