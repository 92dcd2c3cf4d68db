import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_INITIAL_PASSWORD, ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/test-app.js';
import { startTestUpstream, writeTestConfig, type TestUpstream } from '../support/upstream.js';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

// An OpenMetadata-style upstream serves /api/v1/users too: Gatehouse's API moves to /gatehouse/api, the upstream keeps /api.
describe('built-in proxy with gateway.apiPrefix', () => {
  let t: TestApp;
  let upstream: TestUpstream;
  let token: string;

  beforeAll(async () => {
    upstream = await startTestUpstream();
    t = await startTestApp({
      GATEHOUSE_CONFIG: writeTestConfig('gateway:\n  rules:\n    - { pathPrefix: /api, allow: authenticated }\n'),
      GATEHOUSE_UPSTREAM: upstream.url,
      GATEHOUSE_API_PREFIX: '/gatehouse',
    });
    const login = (password: string) => t.call({ method: 'POST', url: '/gatehouse/api/v1/users/login', payload: { email: 'admin', password: b64(password) } });
    const initial = (await login(ADMIN_INITIAL_PASSWORD)).json<{ accessToken: string }>().accessToken;
    const changed = await t.call({ method: 'PUT', url: '/gatehouse/api/v1/users/changePassword', token: initial, payload: { oldPassword: ADMIN_INITIAL_PASSWORD, newPassword: ADMIN_PASSWORD, confirmPassword: ADMIN_PASSWORD } });
    expect(changed.statusCode).toBe(200);
    token = (await login(ADMIN_PASSWORD)).json<{ accessToken: string }>().accessToken;
  });
  afterAll(async () => {
    await t.close();
    await upstream.close();
  });

  it('serves Gatehouse\'s API under the prefix', async () => {
    const res = await t.call({ method: 'GET', url: '/gatehouse/api/v1/users/loggedInUser', token });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'admin' });
  });

  it('gives /api to the upstream, after the access rules, with the caller\'s identity', async () => {
    const res = await t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', token });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ method: 'GET', url: '/api/v1/users/loggedInUser' });
    expect(upstream.seen[upstream.seen.length - 1]?.headers['x-auth-request-user']).toBe('admin');
    expect((await t.call({ method: 'GET', url: '/api/v1/users', headers: { accept: 'application/json' } })).statusCode).toBe(401);
  });

  it('tells the UI where its API is; the sign-in page stays at /signin', async () => {
    const page = await t.call({ method: 'GET', url: '/signin', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<meta name="gatehouse-api-prefix" content="/gatehouse" />');
  });
});
