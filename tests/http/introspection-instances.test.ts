import { afterEach, describe, expect, it } from 'vitest';
import { SKIP_POSTGRES } from '../support/databases.js';
import { secondInstance } from '../support/second-instance.js';
import { startTestApp, type TestApp, USER_PASSWORD } from '../support/test-app.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** A's introspection answer for the token, polled until `active` is `wanted` or a second has passed. */
async function activeWithinASecond(a: TestApp, caller: string, token: string, wanted: boolean): Promise<boolean> {
  const deadline = Date.now() + 1000;
  for (;;) {
    const res = await a.call({ method: 'POST', url: '/api/v1/tokens/introspect', token: caller, headers: FORM, payload: new URLSearchParams({ token }).toString() });
    expect(res.statusCode).toBe(200);
    const { active } = res.json<{ active: boolean }>();
    if (active === wanted || Date.now() > deadline) return active;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(SKIP_POSTGRES)('on PostgreSQL, introspection on every instance follows a revocation or logout on another', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function twoInstances() {
    const a = await startTestApp({}, { engine: 'postgres' });
    cleanups.push(() => a.close());
    const b = await secondInstance(a);
    cleanups.push(() => b.close());
    return { a, b, admin: await a.adminToken() };
  }

  it('a bot token revoked on B is inactive on A within a second, though A had it cached as active', async () => {
    const { a, b, admin } = await twoInstances();
    const bot = await a.call({ method: 'POST', url: '/api/v1/bots', token: admin, payload: { name: 'etl-bot' } });
    const botUserId = bot.json<{ botUser: { id: string } }>().botUser.id;
    const token = (await a.call({ method: 'PUT', url: `/api/v1/users/generateToken/${botUserId}`, token: admin, payload: { JWTTokenExpiry: '7' } })).json<{ JWTToken: string }>().JWTToken;
    expect(await activeWithinASecond(a, admin, token, true)).toBe(true); // verified and cached on A
    const revoked = await b.app.inject({ method: 'PUT', url: '/api/v1/users/revokeToken', headers: { authorization: `Bearer ${admin}` }, payload: { id: botUserId } });
    expect(revoked.statusCode).toBe(200);
    expect(await activeWithinASecond(a, admin, token, false)).toBe(false);
  });

  it('a logout on B makes A answer inactive for that sign-in\'s access token within a second', async () => {
    const { a, b, admin } = await twoInstances();
    await a.userToken('dave');
    const { accessToken } = (await a.login('dave', USER_PASSWORD)).json<{ accessToken: string }>();
    expect(await activeWithinASecond(a, admin, accessToken, true)).toBe(true);
    const out = await b.app.inject({ method: 'POST', url: '/api/v1/users/logout', payload: { token: accessToken, username: 'dave' } });
    expect(out.statusCode).toBe(200);
    expect(await activeWithinASecond(a, admin, accessToken, false)).toBe(false);
  });
});
