import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Path tricks that fooled prefix-based authorization filters elsewhere: public-looking prefixes, encoded separators,
 * `;param`, dot segments, double slashes, case. None may reach a protected handler without credentials.
 */
const TRICKS = [
  '/api/v1/users',
  '/api/v1/users/',
  '/api/v1/users;/api/v1/users/login',
  '/api/v1/users;jsessionid=x',
  '/api/v1/users/login/../',
  '/api/v1/users/login/..%2f',
  '/api/v1/system/config/jwks/../../../users',
  '/api/v1/system/config/jwks%2f..%2f..%2f..%2fusers',
  '/api/v1/users/login%2f..%2f..%2fusers',
  '//api/v1/users',
  '/api//v1/users',
  '/API/V1/USERS',
  '/api/v1/users?/api/v1/users/login',
  '/api/v1/users#/api/v1/users/login',
  '/api/v1/users%3b/login',
  '/api/v1/users%00/login',
  '/api/v1/audit/../users',
  '/api/v1/users/loggedInUser;.css',
  '/healthz/../api/v1/users',
  '/api/v1/users/name/..%2f..%2fusers',
];

describe('authentication cannot be bypassed with path tricks', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it.each(TRICKS)('%s never returns protected data without credentials', async (url) => {
    const res = await t.call({ method: 'GET', url });
    expect([400, 401, 404]).toContain(res.statusCode);
    expect(res.body).not.toMatch(/"name":"admin"/);
    expect(res.body).not.toMatch(/"data":\[/);
  });

  it('still serves the public routes and protects the rest', async () => {
    expect((await t.call({ method: 'GET', url: '/api/v1/system/version' })).statusCode).toBe(200);
    expect((await t.call({ method: 'GET', url: '/api/v1/users' })).statusCode).toBe(401);
    expect((await t.call({ method: 'POST', url: '/api/v1/users/login', payload: { email: 'x', password: 'eA==' } })).statusCode).toBe(401);
  });
});
