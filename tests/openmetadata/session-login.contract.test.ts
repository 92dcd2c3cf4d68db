import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionCookie } from '../../src/sessions/index.js';
import { ENGINES } from '../support/databases.js';
import { startTestApp, type TestApp, USER_PASSWORD } from '../support/test-app.js';
import { problems } from './validate.js';

const PUBLIC = 'http://127.0.0.1:8585';
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const COOKIE = sessionCookie(PUBLIC).name;

/** Newer OpenMetadata's password sign-in (session cookie + access token) and refresh, beside /api/v1/users/login. */
describe.each(ENGINES)('OpenMetadata session sign-in on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ AUTHORIZER_ADMIN_PRINCIPALS: '[admin]', OM_MAX_FAILED_LOGIN_ATTEMPTS: '3' }, { engine });
    await t.adminToken();
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  const signIn = (email: string, password: string, headers: Record<string, string> = {}) =>
    t.call({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json', origin: PUBLIC, ...headers }, payload: JSON.stringify({ email, password: b64(password) }) });
  const cookieOf = (res: Awaited<ReturnType<typeof signIn>>) => res.cookies.find((c) => c.name === COOKIE)?.value;

  it('signs in with a session cookie and a session-bound access token; refresh hands out a new one; logout ends both', async () => {
    await t.userToken('olga');
    const res = await signIn('olga@example.com', USER_PASSWORD);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(problems('jwt-response.json', body)).toEqual([]);
    // As OpenMetadata's session handler answers: the expiry instant in epoch ms (OM_JWT_EXPIRY_TIME 3600 s from now).
    expect(body.expiryDuration).toBe(t.clock.now() + 3_600_000);
    const cookie = cookieOf(res);
    expect(cookie).toBeTruthy();
    const byToken = await t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', token: body.accessToken });
    const byCookie = await t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', cookies: { [COOKIE]: cookie as string } });
    expect([byToken.statusCode, byToken.json().name, byCookie.json().name]).toEqual([200, 'olga', 'olga']);

    t.clock.advance(60_000);
    const refreshed = await t.call({ method: 'GET', url: '/api/v1/auth/refresh', cookies: { [COOKIE]: cookie as string } });
    expect(refreshed.statusCode).toBe(200);
    expect(problems('jwt-response.json', refreshed.json())).toEqual([]);
    expect(refreshed.json().accessToken).not.toBe(body.accessToken);
    expect(refreshed.json().expiryDuration).toBe(t.clock.now() + 3_600_000);
    expect((await t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', token: refreshed.json().accessToken })).statusCode).toBe(200);
    expect((await t.call({ method: 'GET', url: '/api/v1/auth/refresh' })).statusCode).toBe(401);

    await t.call({ method: 'GET', url: '/api/v1/auth/logout', cookies: { [COOKIE]: cookie as string } });
    for (const token of [body.accessToken, refreshed.json().accessToken]) {
      expect((await t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', token })).statusCode).toBe(401);
    }
    expect((await t.call({ method: 'GET', url: '/api/v1/auth/refresh', cookies: { [COOKIE]: cookie as string } })).statusCode).toBe(401);
  });

  it('ends the access token when the session is ended from the session list', async () => {
    const res = await signIn('olga@example.com', USER_PASSWORD);
    const { accessToken } = res.json();
    const cookie = cookieOf(res) as string;
    const sessions = (await t.call({ method: 'GET', url: '/api/v1/auth/sessions', token: accessToken })).json().data;
    const current = sessions.find((s: { userAgent: string | null; id: string }) => s.id);
    // Signed in again elsewhere (a bearer caller), the user ends this browser session by id.
    const other = (await t.login('olga', USER_PASSWORD)).json().accessToken;
    const ended = await t.call({ method: 'DELETE', url: `/api/v1/auth/sessions/${current.id}`, token: other });
    expect(ended.statusCode).toBe(204);
    expect((await t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', token: accessToken })).statusCode).toBe(401);
    expect((await t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', cookies: { [COOKIE]: cookie } })).statusCode).toBe(401);
  });

  it('refuses a cross-site form post or foreign origin (login CSRF) without making a session', async () => {
    const foreign = await signIn('olga@example.com', USER_PASSWORD, { origin: 'https://evil.example' });
    const crossSite = await signIn('olga@example.com', USER_PASSWORD, { origin: '', 'sec-fetch-site': 'cross-site' });
    const form = await t.call({
      method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'text/plain', origin: PUBLIC },
      payload: JSON.stringify({ email: 'olga@example.com', password: b64(USER_PASSWORD) }),
    });
    for (const r of [foreign, crossSite, form]) {
      expect(r.statusCode).toBeGreaterThanOrEqual(400);
      expect(cookieOf(r)).toBeUndefined();
    }
    expect([foreign.json().code, crossSite.json().code]).toEqual(['AUTH_CSRF', 'AUTH_CSRF']);
    // A same-origin request a browser marks as such, and a script without Origin (a CLI), are fine.
    expect((await signIn('olga@example.com', USER_PASSWORD, { origin: '', 'sec-fetch-site': 'same-origin' })).statusCode).toBe(200);
    expect((await signIn('olga@example.com', USER_PASSWORD, { origin: '' })).statusCode).toBe(200);
  });

  it('shares the lockout with /api/v1/users/login', async () => {
    await t.userToken('piet');
    for (let i = 0; i < 3; i += 1) expect((await signIn('piet@example.com', 'wrong-password-1')).statusCode).toBe(401);
    const locked = await signIn('piet@example.com', USER_PASSWORD);
    const older = await t.login('piet@example.com', USER_PASSWORD);
    expect([locked.statusCode, older.statusCode]).toEqual([401, 401]);
    expect(locked.json().code).toBe(older.json().code);
    expect(cookieOf(locked)).toBeUndefined();
  });

  it('keeps GET /api/v1/auth/login as the start of single sign-on', async () => {
    const res = await t.call({ method: 'GET', url: '/api/v1/auth/login?provider=nope' });
    expect([res.statusCode, res.headers.location]).toEqual([303, '/signin?error=SSO_PROVIDER_UNKNOWN']);
  });
});
