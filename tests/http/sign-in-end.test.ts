import { decodeJwt } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CSRF_HEADER_NAME, CSRF_HEADER_VALUE } from '../../src/sessions/index.js';
import { startTestApp, type TestApp, USER_PASSWORD } from '../support/test-app.js';

interface Pair { accessToken: string; refreshToken: string }

/** Every way a sign-in ends also ends its access tokens, from the very next request on (issue 9, item 1). */
describe('ending a sign-in ends its access tokens', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const me = (token: string) => t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', token });
  const status = async (token: string) => {
    const res = await me(token);
    return res.statusCode === 200 ? 'OK' : (res.json() as { code: string }).code;
  };
  const pair = async (name: string, password = USER_PASSWORD) => (await t.login(name, password)).json<Pair>();
  const refresh = (p: Pair) => t.call({ method: 'POST', url: '/api/v1/users/refresh', payload: { refreshToken: p.refreshToken } });
  const sameOrigin = () => ({ origin: new URL(t.gatehouse.appDeps.config.server.publicUrl).origin, [CSRF_HEADER_NAME]: CSRF_HEADER_VALUE });
  const browserSignIn = (name: string) =>
    t.call({ method: 'POST', url: '/api/v1/auth/basic', payload: { username: name, password: USER_PASSWORD }, headers: sameOrigin() });
  const logout = (payload: Record<string, unknown>) => t.call({ method: 'POST', url: '/api/v1/users/logout', payload });

  it('API logout in OpenMetadata\'s shape (token, refreshToken, username, logoutTime) ends that sign-in only', async () => {
    await t.userToken('dave');
    const laptop = await pair('dave');
    const script = await pair('dave');
    expect(decodeJwt(laptop.accessToken)['sid']).toEqual(expect.any(String));
    expect(await status(laptop.accessToken)).toBe('OK'); // verified and cached
    const out = await logout({ token: laptop.accessToken, refreshToken: laptop.refreshToken, username: 'dave', logoutTime: Date.now() });
    expect(out.statusCode).toBe(200);
    expect((await t.gatehouse.services.audit.list({ type: 'auth.logout', limit: 5, offset: 0 })).total).toBe(1); // one sign-in, named twice
    expect(await status(laptop.accessToken)).toBe('AUTH_TOKEN_REVOKED');
    expect((await refresh(laptop)).statusCode).toBe(401);
    expect(await status(script.accessToken)).toBe('OK');
    expect((await logout({ username: 'dave', logoutTime: '2026-11-01T12:00:00Z' })).statusCode).toBe(200);
    expect(await status(script.accessToken)).toBe('OK'); // a user name alone ends nothing
  });

  it('logout with only the access token ends its sign-in, also when expired; a forged one ends nothing', async () => {
    await t.userToken('dave');
    const victim = await pair('dave');
    const [header, payload] = victim.accessToken.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(342)}`;
    expect((await logout({ token: forged })).statusCode).toBe(200);
    expect((await logout({ token: 'not-a-jwt' })).statusCode).toBe(200);
    expect(await status(victim.accessToken)).toBe('OK');
    expect((await logout({ token: victim.accessToken })).statusCode).toBe(200);
    expect(await status(victim.accessToken)).toBe('AUTH_TOKEN_REVOKED');
    expect((await refresh(victim)).statusCode).toBe(401);

    const old = await pair('dave');
    t.clock.advance(2 * 3_600_000);
    expect(await status(old.accessToken)).toBe('AUTH_TOKEN_EXPIRED');
    expect((await logout({ token: old.accessToken })).statusCode).toBe(200);
    expect((await refresh(old)).statusCode).toBe(401);
  });

  it('a reused refresh token ends the access tokens of its family too (they may be stolen)', async () => {
    await t.userToken('dave');
    const first = await pair('dave');
    const rotated = (await refresh(first)).json<Pair>();
    expect(await status(rotated.accessToken)).toBe('OK');
    expect((await refresh(first)).statusCode).toBe(401);
    expect(await status(rotated.accessToken)).toBe('AUTH_TOKEN_REVOKED');
    expect(await status(first.accessToken)).toBe('AUTH_TOKEN_REVOKED');
  });

  it('a password change that ends other sessions, and an administrator\'s reset, end the access tokens', async () => {
    const admin = await t.adminToken();
    await t.userToken('dave');
    const other = await pair('dave');
    const current = await pair('dave');
    expect(await status(other.accessToken)).toBe('OK');
    const changed = await t.call({
      method: 'PUT', url: '/api/v1/users/changePassword', token: current.accessToken,
      payload: { oldPassword: USER_PASSWORD, newPassword: 'next-Passphrase-88-y', confirmPassword: 'next-Passphrase-88-y', endOtherSessions: true },
    });
    expect(changed.statusCode).toBe(200);
    expect(await status(other.accessToken)).toBe('AUTH_TOKEN_REVOKED');
    expect((await refresh(other)).statusCode).toBe(401);

    const again = await pair('dave', 'next-Passphrase-88-y');
    expect(await status(again.accessToken)).toBe('OK');
    const reset = await t.call({
      method: 'PUT', url: '/api/v1/users/changePassword', token: admin,
      payload: { requestType: 'USER', username: 'dave', newPassword: 'reset-Passphrase-99-z', confirmPassword: 'reset-Passphrase-99-z' },
    });
    expect(reset.statusCode).toBe(200);
    expect(await status(again.accessToken)).toBe('AUTH_TOKEN_REVOKED');
  });

  it('an administrator ending a user\'s sessions ends the browser sessions and the API sign-ins with their tokens', async () => {
    const admin = await t.adminToken();
    const dave = await t.userToken('dave');
    const api = await pair('dave');
    const browser = await browserSignIn('dave');
    expect(browser.statusCode).toBe(200);
    const cookie = browser.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    expect((await t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', headers: { cookie } })).statusCode).toBe(200);
    expect(await status(api.accessToken)).toBe('OK');
    const ended = await t.call({ method: 'DELETE', url: `/api/v1/users/${dave.id}/sessions`, token: admin });
    expect(ended.statusCode).toBe(200);
    expect(ended.json<{ ended: number }>().ended).toBeGreaterThanOrEqual(3); // one browser session, two API sign-ins
    expect(await status(api.accessToken)).toBe('AUTH_TOKEN_REVOKED');
    expect(await status(dave.token)).toBe('AUTH_TOKEN_REVOKED');
    expect((await refresh(api)).statusCode).toBe(401);
    expect((await t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', headers: { cookie } })).statusCode).toBe(401);
  });

  it('deactivation ends the access tokens for good: enabling the user again does not revive them', async () => {
    const admin = await t.adminToken();
    const dave = await t.userToken('dave');
    expect(await status(dave.token)).toBe('OK');
    expect((await t.call({ method: 'PATCH', url: `/api/v1/users/${dave.id}`, token: admin, payload: { disabled: true } })).statusCode).toBe(200);
    expect(await status(dave.token)).toBe('AUTH_TOKEN_REVOKED');
    expect((await t.call({ method: 'PATCH', url: `/api/v1/users/${dave.id}`, token: admin, payload: { disabled: false } })).statusCode).toBe(200);
    expect(await status(dave.token)).toBe('AUTH_TOKEN_REVOKED');
    expect(await status((await pair('dave')).accessToken)).toBe('OK');
  });

  it('the web UI\'s password sign-in issues no access token, and its logout ends the session at once', async () => {
    await t.userToken('dave');
    const browser = await browserSignIn('dave');
    expect(Object.keys(browser.json<Record<string, unknown>>())).toEqual(['user']);
    const cookie = browser.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    expect((await t.call({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, ...sameOrigin() } })).statusCode).toBe(200);
    expect((await t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', headers: { cookie } })).statusCode).toBe(401);
  });
});
