import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    expect((await t.call({ method: 'GET', url: '/api/v1/users?limit=100000', token: admin })).statusCode).toBe(400);
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
