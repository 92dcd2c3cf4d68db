import { afterEach, describe, expect, it } from 'vitest';
import { queryCounter } from '../support/query-counter.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface UserOut { id: string; isAdmin: boolean; roles: { name: string }[] }

async function botToken(t: TestApp, name: string): Promise<{ userId: string; token: string }> {
  const admin = await t.adminToken();
  const bot = (await t.call({ method: 'POST', url: '/api/v1/bots', token: admin, payload: { name } })).json<{ botUser: { id: string } }>();
  const generated = await t.call({ method: 'PUT', url: `/api/v1/users/generateToken/${bot.botUser.id}`, token: admin, payload: { JWTTokenExpiry: '7' } });
  return { userId: bot.botUser.id, token: generated.json<{ JWTToken: string }>().JWTToken };
}

const me = (t: TestApp, token: string) => t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', token });

describe('statements per request', () => {
  const apps: TestApp[] = [];
  afterEach(async () => {
    for (const t of apps.splice(0)) await t.close();
  });

  it('a warm loggedInUser sends no statement, with a bot token and with a user access token', async () => {
    const counter = queryCounter();
    const t = await startTestApp({}, { plugins: [counter.plugin] });
    apps.push(t);
    const bot = await botToken(t, 'counted-bot');
    const user = await t.userToken('carol', { roles: ['DataSteward'] });
    for (const token of [bot.token, user.token]) {
      const cold = await counter.during(() => me(t, token));
      expect(cold.result.statusCode).toBe(200);
      expect(cold.count).toBeGreaterThan(0); // the first use reads the record, the user, the grants
      // Past the minute the last-used write waits for (it is never on the request path anyway).
      for (let i = 0; i < 5; i++) {
        const warm = await counter.during(() => me(t, token));
        expect(warm.result.statusCode).toBe(200);
        expect(warm.kinds).toEqual([]);
      }
    }
  });

  it('with every cache bounded to one entry (cacheSizes, the scale benchmark\'s cold servers), two tokens used in turn are read again on every request', async () => {
    const counter = queryCounter();
    const t = await startTestApp({}, { plugins: [counter.plugin], cacheSizes: { sessions: 1, principals: 1, userViews: 1, verifiedTokens: 1 } });
    apps.push(t);
    const bot = await botToken(t, 'cold-bot');
    const user = await t.userToken('dave');
    for (let i = 0; i < 3; i++) {
      for (const token of [bot.token, user.token]) {
        const run = await counter.during(() => me(t, token));
        expect(run.result.statusCode).toBe(200);
        // Each one evicted the other: the token record, the user, the grants and the view are read every time.
        expect(run.count).toBeGreaterThanOrEqual(3);
      }
    }
  });

  it('the users list sends the same few statements for a page of 3 as for a page of 30 (no query per row)', async () => {
    const counter = queryCounter();
    const t = await startTestApp({}, { plugins: [counter.plugin] });
    apps.push(t);
    const admin = await t.adminToken();
    for (let i = 0; i < 30; i++) {
      const res = await t.call({ method: 'POST', url: '/api/v1/users', token: admin, payload: { name: `u${String(i).padStart(2, '0')}`, roles: i % 2 ? ['DataSteward', 'DataConsumer'] : [] } });
      expect(res.statusCode).toBe(201);
    }
    await me(t, admin); // admin's token verified and cached: the runs below count only the list's own statements
    const page = (limit: number) => counter.during(() => t.call({ method: 'GET', url: `/api/v1/users?limit=${limit}&isBot=false`, token: admin }));
    const small = await page(3);
    const large = await page(30);
    expect(small.result.statusCode).toBe(200);
    const rows = large.result.json<{ data: UserOut[] }>().data;
    expect(rows).toHaveLength(30);
    // The grants still arrive per user, in name order, from the one query.
    expect(rows.find((u) => u.roles.length > 0)?.roles.map((r) => r.name)).toEqual(['DataConsumer', 'DataSteward']);
    expect(large.count).toBe(small.count);
    expect(large.count).toBeLessThanOrEqual(4); // page, total, grants of the page, identities of the page
  });
});

describe('the cached principal and loggedInUser follow every change', () => {
  const apps: TestApp[] = [];
  afterEach(async () => {
    for (const t of apps.splice(0)) await t.close();
  });

  it('role grants, the admin flag, a role\'s permissions, a role\'s deletion, deactivation', async () => {
    const t = await startTestApp();
    apps.push(t);
    const admin = await t.adminToken();
    const dave = await t.userToken('dave');
    const listUsers = () => t.call({ method: 'GET', url: '/api/v1/users', token: dave.token });
    expect((await me(t, dave.token)).json<UserOut>().roles).toEqual([]);
    expect((await listUsers()).statusCode).toBe(403); // both now cached: principal and view

    const patch = (payload: Record<string, unknown>) => t.call({ method: 'PATCH', url: `/api/v1/users/${dave.id}`, token: admin, payload });
    expect((await patch({ roles: ['DataSteward'] })).statusCode).toBe(200);
    expect((await me(t, dave.token)).json<UserOut>().roles.map((r) => r.name)).toEqual(['DataSteward']);
    expect((await listUsers()).statusCode).toBe(200);

    expect((await patch({ roles: [] })).statusCode).toBe(200);
    expect((await listUsers()).statusCode).toBe(403);
    expect((await patch({ isAdmin: true })).statusCode).toBe(200);
    expect((await me(t, dave.token)).json<UserOut>().isAdmin).toBe(true);
    expect((await listUsers()).statusCode).toBe(200);
    expect((await patch({ isAdmin: false })).statusCode).toBe(200);
    expect((await me(t, dave.token)).json<UserOut>().isAdmin).toBe(false);

    // A role's own permissions change: every holder's principal follows; its deletion leaves every view.
    const role = (await t.call({ method: 'POST', url: '/api/v1/roles', token: admin, payload: { name: 'Auditor', permissions: ['entity:view'] } })).json<{ id: string }>();
    expect((await patch({ roles: ['Auditor'] })).statusCode).toBe(200);
    expect((await listUsers()).statusCode).toBe(403);
    expect((await t.call({ method: 'PATCH', url: `/api/v1/roles/${role.id}`, token: admin, payload: { permissions: ['entity:view', 'user:view'] } })).statusCode).toBe(200);
    expect((await listUsers()).statusCode).toBe(200);
    expect((await me(t, dave.token)).json<UserOut>().roles.map((r) => r.name)).toEqual(['Auditor']);
    expect((await t.call({ method: 'DELETE', url: `/api/v1/roles/${role.id}?hardDelete=true`, token: admin })).statusCode).toBe(204);
    expect((await me(t, dave.token)).json<UserOut>().roles).toEqual([]);
    expect((await listUsers()).statusCode).toBe(403);

    expect((await patch({ disabled: true })).statusCode).toBe(200);
    expect((await me(t, dave.token)).statusCode).toBe(401);
  });

  it('a revoked personal token and a replaced bot token are refused from the cache; a deleted bot user is gone', async () => {
    const t = await startTestApp();
    apps.push(t);
    const admin = await t.adminToken();
    const erin = await t.userToken('erin');
    const pat = (await t.call({ method: 'PUT', url: '/api/v1/users/security/token', token: erin.token, payload: { tokenName: 'ci', JWTTokenExpiry: '7' } })).json<{ id: string; JWTToken: string }>();
    expect((await me(t, pat.JWTToken)).statusCode).toBe(200);
    await t.call({ method: 'PUT', url: '/api/v1/users/security/token/revoke', token: erin.token, payload: { tokenIds: [pat.id] } });
    expect((await me(t, pat.JWTToken)).statusCode).toBe(401);

    const bot = await botToken(t, 'rotated-bot');
    expect((await me(t, bot.token)).json<UserOut>().id).toBe(bot.userId);
    expect((await t.call({ method: 'GET', url: `/api/v1/users/${bot.userId}`, token: admin })).statusCode).toBe(200); // view cached
    await t.call({ method: 'PUT', url: `/api/v1/users/generateToken/${bot.userId}`, token: admin, payload: { JWTTokenExpiry: '7' } });
    expect((await me(t, bot.token)).statusCode).toBe(401);
    const bots = (await t.call({ method: 'GET', url: '/api/v1/bots', token: admin })).json<{ data: { id: string; botUser: { id: string } }[] }>().data;
    const botId = bots.find((b) => b.botUser.id === bot.userId)?.id;
    expect((await t.call({ method: 'DELETE', url: `/api/v1/bots/${botId}?hardDelete=true`, token: admin })).statusCode).toBe(204);
    expect((await t.call({ method: 'GET', url: `/api/v1/users/${bot.userId}`, token: admin })).statusCode).toBe(404);
  });
});
