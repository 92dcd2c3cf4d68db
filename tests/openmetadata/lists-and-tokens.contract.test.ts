import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { problems } from './validate.js';

interface Page { data: { name: string }[]; paging: { before?: string; after?: string; total: number } }

/** Bots and roles page with OpenMetadata's cursors like users; POST /users/generateToken as the SDK calls it. */
describe.each(ENGINES)('OpenMetadata bot and role lists, generateToken on %s', (engine) => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startTestApp({ AUTHORIZER_ADMIN_PRINCIPALS: '[admin]' }, { engine });
    admin = await t.adminToken();
    for (const name of ['alpha-bot', 'beta-bot', 'gamma-bot', 'delta-bot']) await t.call({ method: 'PUT', url: '/api/v1/bots', token: admin, payload: { name } });
    for (const name of ['Auditor', 'Curator', 'Steward']) await t.call({ method: 'PUT', url: '/api/v1/roles', token: admin, payload: { name, permissions: [] } });
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  async function walk(path: string, schema: string) {
    const get = async (query: string) => {
      const page = (await t.call({ method: 'GET', url: `${path}?limit=2${query}`, token: admin })).json<Page>();
      expect(problems(schema, page)).toEqual([]);
      return page;
    };
    const all = (await t.call({ method: 'GET', url: `${path}?limit=1000`, token: admin })).json<Page>();
    const sorted = all.data.map((x) => x.name);
    expect(sorted).toEqual([...sorted].sort());
    expect(all.paging).toEqual({ total: sorted.length });
    const forward: string[] = [];
    const pages: Page[] = [];
    let page = await get('');
    expect(page.paging.before).toBeUndefined();
    for (;;) {
      expect(page.data.length).toBeLessThanOrEqual(2);
      expect(page.paging.total).toBe(sorted.length);
      pages.push(page);
      forward.push(...page.data.map((x) => x.name));
      if (!page.paging.after) break;
      page = await get(`&after=${encodeURIComponent(page.paging.after)}`);
    }
    expect(forward).toEqual(sorted);
    // Back from the last page with its `before` cursor: the page before it again.
    const last = pages.at(-1) as Page;
    const back = await get(`&before=${encodeURIComponent(last.paging.before as string)}`);
    expect(back.data).toEqual(pages.at(-2)?.data);
    expect(back.paging.after).toBe(pages.at(-2)?.paging.after);
    return sorted;
  }

  it('pages bots by name with before/after cursors', async () => {
    const names = await walk('/api/v1/bots', 'bot-list.json');
    expect(names.length).toBeGreaterThan(4);
    expect((await t.call({ method: 'GET', url: '/api/v1/bots?after=%%%', token: admin })).statusCode).toBe(400);
  });

  it('pages roles by name with before/after cursors', async () => {
    const names = await walk('/api/v1/roles', 'role-list.json');
    expect(names).toEqual(expect.arrayContaining(['Auditor', 'Curator', 'Steward']));
  });

  it('generates a bot token with POST /users/generateToken {id, JWTTokenExpiry}; the previous token stops working', async () => {
    const bot = (await t.call({ method: 'GET', url: '/api/v1/bots/name/alpha-bot', token: admin })).json<{ botUser: { id: string } }>();
    const first = await t.call({ method: 'POST', url: '/api/v1/users/generateToken', token: admin, payload: { id: bot.botUser.id, JWTTokenExpiry: '7' } });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ JWTTokenExpiry: '7', JWTTokenExpiresAt: t.clock.now() + 7 * 86_400_000 });
    const token = first.json<{ JWTToken: string }>().JWTToken;
    expect((await t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', token })).json().name).toBe('alpha-bot');
    const second = await t.call({ method: 'POST', url: '/api/v1/users/generateToken', token: admin, payload: { id: bot.botUser.id, JWTTokenExpiry: 'Unlimited' } });
    expect([second.statusCode, second.json().JWTTokenExpiresAt]).toEqual([200, null]);
    expect((await t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', token })).statusCode).toBe(401);
    const auth = (await t.call({ method: 'GET', url: `/api/v1/users/auth-mechanism/${bot.botUser.id}`, token: admin })).json();
    expect(auth).toEqual({ authType: 'JWT', config: { JWTTokenExpiresAt: null } });
    const me = (await t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', token: admin })).json<{ id: string }>();
    expect((await t.call({ method: 'POST', url: '/api/v1/users/generateToken', token: admin, payload: { id: me.id, JWTTokenExpiry: '7' } })).statusCode).toBeGreaterThanOrEqual(400);
    const person = await t.userToken('quinn');
    expect((await t.call({ method: 'POST', url: '/api/v1/users/generateToken', token: person.token, payload: { id: bot.botUser.id, JWTTokenExpiry: '7' } })).statusCode).toBe(403);
  });
});
