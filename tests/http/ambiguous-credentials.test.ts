import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawGet } from '../support/raw-http.js';
import { ADMIN_PASSWORD, startTestApp, USER_PASSWORD, type TestApp } from '../support/test-app.js';

describe('ambiguous credentials are refused with 400, never "first wins"', () => {
  let t: TestApp;
  let admin: string;
  let user: string;
  let cookieName: string;
  let adminSession: string;
  let userSession: string;
  let port: number;

  /** Signs in through the browser flow and returns the session cookie's value. */
  async function sessionOf(username: string, password: string): Promise<string> {
    const publicUrl = t.gatehouse.appDeps.config.server.publicUrl;
    const res = await t.call({
      method: 'POST', url: '/api/v1/auth/basic', payload: { username, password },
      headers: { origin: new URL(publicUrl).origin, 'x-requested-with': 'gatehouse' },
    });
    const cookie = res.cookies.find((c) => c.name === cookieName);
    if (res.statusCode !== 200 || !cookie) throw new Error(`browser sign-in failed: ${res.body}`);
    return cookie.value;
  }

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.adminToken();
    user = (await t.userToken('casey')).token;
    cookieName = t.gatehouse.appDeps.authenticator.sessionCookieName;
    adminSession = await sessionOf('admin', ADMIN_PASSWORD);
    userSession = await sessionOf('casey', USER_PASSWORD);
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    port = (t.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await t.close();
  });

  const me = (headers: Record<string, string | string[]>) => t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', headers });
  const expectAmbiguous = (res: { statusCode: number; json: () => { code: string } }) =>
    expect([res.statusCode, res.json().code]).toEqual([400, 'AUTH_AMBIGUOUS_CREDENTIALS']);

  // Over a real socket: Node keeps only the first Authorization header in `headers`, inject() cannot send two.
  it('two Authorization headers, in either order, even on a public route (real HTTP parser)', async () => {
    const orders = [[`Bearer ${admin}`, 'Bearer x.y.z'], ['Bearer x.y.z', `Bearer ${admin}`], [`Bearer ${admin}`, `Bearer ${user}`], [`Bearer ${user}`, `Bearer ${user}`]];
    for (const [first, second] of orders) {
      for (const path of ['/api/v1/users/loggedInUser', '/api/v1/system/version']) {
        const res = await rawGet(port, path, [['Authorization', first ?? ''], ['Authorization', second ?? '']]);
        expect(res.status, `${path} ${first?.slice(0, 12)} / ${second?.slice(0, 12)}`).toBe(400);
        expect(JSON.parse(res.body)).toMatchObject({ code: 'AUTH_AMBIGUOUS_CREDENTIALS' });
      }
    }
    // One header still works over the same socket path.
    expect((await rawGet(port, '/api/v1/users/loggedInUser', [['Authorization', `Bearer ${user}`]])).status).toBe(200);
  });

  it('two session cookies, in one Cookie header or in two', async () => {
    expectAmbiguous(await me({ cookie: `${cookieName}=${adminSession}; ${cookieName}=${userSession}` }));
    expectAmbiguous(await me({ cookie: `${cookieName}=${userSession}; other=1; ${cookieName}=${adminSession}` }));
    const twoHeaders = await rawGet(port, '/api/v1/users/loggedInUser', [['Cookie', `${cookieName}=${userSession}`], ['Cookie', `${cookieName}=${adminSession}`]]);
    expect([twoHeaders.status, JSON.parse(twoHeaders.body).code]).toEqual([400, 'AUTH_AMBIGUOUS_CREDENTIALS']);
    // A stale second cookie is ambiguous too: which one the browser meant is unknown.
    expectAmbiguous(await me({ cookie: `${cookieName}=stale-value; ${cookieName}=${userSession}` }));
  });

  it('one session cookie, or the same value twice, is not ambiguous', async () => {
    const one = await me({ cookie: `${cookieName}=${userSession}` });
    expect([one.statusCode, one.json().name]).toEqual([200, 'casey']);
    const same = await me({ cookie: `${cookieName}=${userSession}; ${cookieName}=${userSession}` });
    expect([same.statusCode, same.json().name]).toEqual([200, 'casey']);
  });

  it('a bearer token and a session cookie of different users', async () => {
    expectAmbiguous(await me({ authorization: `Bearer ${user}`, cookie: `${cookieName}=${adminSession}` }));
    expectAmbiguous(await me({ authorization: `Bearer ${admin}`, cookie: `${cookieName}=${userSession}` }));
  });

  it('a bearer token with a session cookie of the same user, or with a dead cookie, acts as the token', async () => {
    const same = await me({ authorization: `Bearer ${user}`, cookie: `${cookieName}=${userSession}` });
    expect([same.statusCode, same.json().name]).toEqual([200, 'casey']);
    const dead = await me({ authorization: `Bearer ${user}`, cookie: `${cookieName}=no-such-session` });
    expect([dead.statusCode, dead.json().name]).toEqual([200, 'casey']);
  });
});
