import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_INITIAL_PASSWORD, ADMIN_PASSWORD, startTestApp, type TestApp, USER_PASSWORD } from '../support/test-app.js';

const withoutRequestId = (body: string) => {
  const { requestId: _ignored, ...rest } = JSON.parse(body) as Record<string, unknown>;
  return rest;
};

describe('password sign-in', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('signs in with OpenMetadata\'s base64 password and with a plain one, returning a token pair', async () => {
    await t.adminToken();
    const res = await t.login('admin', ADMIN_PASSWORD);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ tokenType: 'Bearer', expiryDuration: 3600, mustChangePassword: false });
    expect(body.accessToken.split('.')).toHaveLength(3);
    expect(body.refreshToken.length).toBeGreaterThanOrEqual(43);
    const plain = await t.call({ method: 'POST', url: '/api/v1/users/login', payload: { username: 'admin', password: ADMIN_PASSWORD, passwordEncoding: 'plain' } });
    expect(plain.statusCode).toBe(200);
    const me = await t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', token: plain.json().accessToken });
    expect(me.json()).toMatchObject({ name: 'admin', isAdmin: true });
  });

  it('explains a password that is not base64 instead of failing as wrong credentials', async () => {
    const res = await t.call({ method: 'POST', url: '/api/v1/users/login', payload: { email: 'admin', password: 'not base64!' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toMatch(/base64/);
  });

  it('answers an unknown user, a wrong password and a locked account identically', async () => {
    const unknown = await t.login('nobody', 'whatever-pass');
    const wrong = await t.login('admin', 'wrong-password-1');
    for (let i = 0; i < 3; i++) await t.login('admin', 'wrong-password-1');
    const locked = await t.login('admin', ADMIN_INITIAL_PASSWORD);
    expect([unknown.statusCode, wrong.statusCode, locked.statusCode]).toEqual([401, 401, 401]);
    expect(withoutRequestId(unknown.body)).toEqual(withoutRequestId(wrong.body));
    expect(withoutRequestId(locked.body)).toEqual(withoutRequestId(wrong.body));
    expect(unknown.headers['content-length']).toBe(wrong.headers['content-length']);
  });

  it('locks after 3 failures for 600 s; 50 parallel wrong attempts evaluate at most 3 passwords', async () => {
    const attempts = await Promise.all(Array.from({ length: 50 }, () => t.login('admin', 'wrong-password-1')));
    // Judged and refused (401), or never judged: beyond the account's rate limit or while 3 checks were in flight (429).
    const unauthorized = attempts.filter((r) => r.statusCode === 401).length;
    expect(attempts.every((r) => r.statusCode === 401 || (r.statusCode === 429 && Number(r.headers['retry-after']) >= 1))).toBe(true);
    const events = await t.gatehouse.services.audit.list({ type: 'auth.login', limit: 200, offset: 0 });
    const reasons = events.data.map((e) => e.details?.['reason']);
    expect(reasons.filter((r) => r === 'wrong-password')).toHaveLength(3);
    expect(reasons.filter((r) => r === 'locked')).toHaveLength(unauthorized - 3);
    expect((await t.gatehouse.services.audit.list({ type: 'auth.lockout', limit: 10, offset: 0 })).total).toBe(1);
    // Even the right password is refused while blocked (once the account's rate limit has refilled)...
    t.clock.advance(60_000);
    expect((await t.login('admin', ADMIN_INITIAL_PASSWORD)).statusCode).toBe(401);
    t.clock.advance(539_000);
    expect((await t.login('admin', ADMIN_INITIAL_PASSWORD)).statusCode).toBe(401);
    // ...and accepted once the block time has passed.
    t.clock.advance(601_000);
    expect((await t.login('admin', ADMIN_INITIAL_PASSWORD)).statusCode).toBe(200);
  });

  it('makes the bootstrap admin change the initial password before anything else', async () => {
    const res = await t.login('admin', ADMIN_INITIAL_PASSWORD);
    expect(res.json().mustChangePassword).toBe(true);
    const token = res.json().accessToken;
    const blocked = await t.call({ method: 'GET', url: '/api/v1/users', token });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe('AUTH_PASSWORD_CHANGE_REQUIRED');
    expect((await t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', token })).statusCode).toBe(200);
    const weak = await t.call({ method: 'PUT', url: '/api/v1/users/changePassword', token, payload: { oldPassword: ADMIN_INITIAL_PASSWORD, newPassword: 'password123', confirmPassword: 'password123' } });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().code).toBe('AUTH_PASSWORD_WEAK');
    const short = await t.call({ method: 'PUT', url: '/api/v1/users/changePassword', token, payload: { oldPassword: ADMIN_INITIAL_PASSWORD, newPassword: 'short', confirmPassword: 'short' } });
    expect(short.json().code).toBe('AUTH_PASSWORD_WEAK');
    const mismatch = await t.call({ method: 'PUT', url: '/api/v1/users/changePassword', token, payload: { oldPassword: 'wrong', newPassword: ADMIN_PASSWORD, confirmPassword: ADMIN_PASSWORD } });
    expect(mismatch.json().code).toBe('AUTH_PASSWORD_MISMATCH');
    const unicode = 'pässwörd-ünïcödé-☃';
    const ok = await t.call({ method: 'PUT', url: '/api/v1/users/changePassword', token, payload: { oldPassword: ADMIN_INITIAL_PASSWORD, newPassword: unicode, confirmPassword: unicode } });
    expect(ok.statusCode).toBe(200);
    expect((await t.login('admin', unicode)).json().mustChangePassword).toBe(false);
    expect((await t.login('admin', ADMIN_INITIAL_PASSWORD)).statusCode).toBe(401);
  });

  it('rotates refresh tokens; reusing a spent one revokes the whole family', async () => {
    await t.adminToken();
    const first = (await t.login('admin', ADMIN_PASSWORD)).json();
    const second = await t.call({ method: 'POST', url: '/api/v1/users/refresh', payload: { refreshToken: first.refreshToken } });
    expect(second.statusCode).toBe(200);
    const pair = second.json();
    expect(pair.refreshToken).not.toBe(first.refreshToken);
    const reuse = await t.call({ method: 'POST', url: '/api/v1/users/refresh', payload: { refreshToken: first.refreshToken } });
    expect(reuse.statusCode).toBe(401);
    expect(reuse.json().code).toBe('AUTH_REFRESH_INVALID');
    // The legitimate holder's newer token died with the family.
    const afterTheft = await t.call({ method: 'POST', url: '/api/v1/users/refresh', payload: { refreshToken: pair.refreshToken } });
    expect(afterTheft.statusCode).toBe(401);
    expect((await t.gatehouse.services.audit.list({ type: 'auth.refresh.reuse', limit: 5, offset: 0 })).total).toBe(1);
  });

  it('expires refresh tokens and ends them at logout', async () => {
    await t.adminToken();
    const pair = (await t.login('admin', ADMIN_PASSWORD)).json();
    expect((await t.call({ method: 'POST', url: '/api/v1/users/logout', payload: { refreshToken: pair.refreshToken } })).statusCode).toBe(200);
    expect((await t.call({ method: 'POST', url: '/api/v1/users/refresh', payload: { refreshToken: pair.refreshToken } })).statusCode).toBe(401);
    const other = (await t.login('admin', ADMIN_PASSWORD)).json();
    t.clock.advance(7 * 86_400_000 + 1);
    expect((await t.call({ method: 'POST', url: '/api/v1/users/refresh', payload: { refreshToken: other.refreshToken } })).statusCode).toBe(401);
  });

  it('expires access tokens', async () => {
    const token = await t.adminToken();
    expect((await t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', token })).statusCode).toBe(200);
    t.clock.advance(3600_000 + 61_000);
    const expired = await t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', token });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().code).toBe('AUTH_TOKEN_EXPIRED');
  });

  it('refuses disabled users at the password door', async () => {
    const admin = await t.adminToken();
    const { id } = await t.userToken('carol');
    await t.call({ method: 'PATCH', url: `/api/v1/users/${id}`, token: admin, payload: { disabled: true } });
    expect((await t.login('carol', USER_PASSWORD)).statusCode).toBe(401);
  });

  it('reports base64 logins of non-UTF-8 bytes as a bad request', async () => {
    const res = await t.call({ method: 'POST', url: '/api/v1/users/login', payload: { email: 'admin', password: Buffer.from([0xff, 0xfe, 0xfd]).toString('base64') } });
    expect(res.statusCode).toBe(400);
  });
});

describe('password sign-in disabled', () => {
  it('refuses password sign-in when only SSO is configured', async () => {
    const t = await startTestApp({ AUTHENTICATION_PROVIDER: 'custom-oidc', AUTHENTICATION_AUTHORITY: 'http://127.0.0.1:9/oidc/2', AUTHENTICATION_CLIENT_ID: 'x' });
    try {
      const res = await t.login('admin', 'whatever-pass');
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('AUTH_BASIC_DISABLED');
    } finally {
      await t.close();
    }
  });
});
