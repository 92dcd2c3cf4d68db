import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/test-app.js';
import { problems } from './validate.js';

const names = (page: { data: { name: string }[] }) => page.data.map((x) => x.name);

/** OpenMetadata's soft delete, restore, hardDelete and include for bots and roles, on every engine of the run. */
describe.each(ENGINES)('OpenMetadata soft delete of bots and roles on %s', (engine) => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startTestApp({ AUTHORIZER_ADMIN_PRINCIPALS: '[admin]', AUTHORIZER_PRINCIPAL_DOMAIN: 'example.com' }, { engine });
    admin = await t.adminToken();
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  it("soft-deletes a bot: its token is refused at once, it is hidden unless asked for, restore brings both back; hardDelete ends it", async () => {
    const bot = (await t.call({ method: 'PUT', url: '/api/v1/bots', token: admin, payload: { name: 'etl-bot' } })).json();
    const made = (await t.call({ method: 'PUT', url: `/api/v1/users/generateToken/${bot.botUser.id}`, token: admin, payload: { JWTTokenExpiry: '7' } })).json();
    const asBot = () => t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', token: made.JWTToken });
    expect((await asBot()).statusCode).toBe(200); // verified and cached

    const deleted = await t.call({ method: 'DELETE', url: `/api/v1/bots/${bot.id}`, token: admin });
    expect([deleted.statusCode, deleted.json().deleted, deleted.json().botUser.deleted, deleted.json().version]).toEqual([200, true, true, 0.2]);
    expect(problems('bot.json', deleted.json())).toEqual([]);
    expect([(await asBot()).statusCode, (await asBot()).json().code]).toEqual([401, 'AUTH_TOKEN_REVOKED']);

    expect((await t.call({ method: 'GET', url: `/api/v1/bots/${bot.id}`, token: admin })).statusCode).toBe(404);
    expect((await t.call({ method: 'GET', url: '/api/v1/bots/name/etl-bot?include=deleted', token: admin })).json().deleted).toBe(true);
    expect((await t.call({ method: 'GET', url: '/api/v1/bots/name/ingestion-bot?include=deleted', token: admin })).statusCode).toBe(404);
    expect(names((await t.call({ method: 'GET', url: '/api/v1/bots', token: admin })).json())).toEqual(['ingestion-bot']);
    const onlyDeleted = (await t.call({ method: 'GET', url: '/api/v1/bots?include=deleted', token: admin })).json();
    expect([names(onlyDeleted), onlyDeleted.paging.total]).toEqual([['etl-bot'], 1]);
    expect(problems('bot-list.json', onlyDeleted)).toEqual([]);
    expect(names((await t.call({ method: 'GET', url: '/api/v1/bots?include=all', token: admin })).json())).toEqual(['etl-bot', 'ingestion-bot']);
    const botUsers = (await t.call({ method: 'GET', url: '/api/v1/users?isBot=true&include=deleted', token: admin })).json();
    expect(botUsers.data.map((u: { name: string; deleted: boolean }) => [u.name, u.deleted])).toEqual([['etl-bot', true]]);

    // Nothing revives it half-way: no new token, no edit, no restore of the bot user alone.
    expect((await t.call({ method: 'PUT', url: `/api/v1/users/generateToken/${bot.botUser.id}`, token: admin, payload: { JWTTokenExpiry: '7' } })).statusCode).toBe(400);
    expect((await t.call({ method: 'PATCH', url: `/api/v1/bots/${bot.id}`, token: admin, payload: { description: 'x' } })).statusCode).toBe(400);
    expect((await t.call({ method: 'PUT', url: '/api/v1/users/restore', token: admin, payload: { id: bot.botUser.id } })).statusCode).toBe(400);
    expect((await asBot()).statusCode).toBe(401);
    expect((await t.call({ method: 'DELETE', url: `/api/v1/bots/${bot.id}`, token: admin })).statusCode).toBe(404);

    const restored = await t.call({ method: 'PUT', url: '/api/v1/bots/restore', token: admin, payload: { id: bot.id } });
    expect([restored.statusCode, restored.json().deleted, restored.json().botUser.deleted]).toEqual([200, false, false]);
    expect(problems('bot.json', restored.json())).toEqual([]);
    expect((await asBot()).statusCode).toBe(200); // still valid, so it works again
    expect((await t.call({ method: 'PUT', url: '/api/v1/bots/restore', token: admin, payload: { id: bot.id } })).statusCode).toBe(400);

    expect((await t.call({ method: 'DELETE', url: '/api/v1/bots/name/etl-bot', token: admin })).json().deleted).toBe(true);
    expect((await t.call({ method: 'DELETE', url: '/api/v1/bots/name/etl-bot?hardDelete=true', token: admin })).statusCode).toBe(204);
    expect((await t.call({ method: 'GET', url: `/api/v1/bots/${bot.id}?include=all`, token: admin })).statusCode).toBe(404);
    expect((await t.call({ method: 'GET', url: `/api/v1/users/${bot.botUser.id}?include=all`, token: admin })).statusCode).toBe(404);
    expect((await asBot()).statusCode).toBe(401);
  });

  it('soft-deletes a role: its permissions go at once (also from a warm principal cache), restore gives them back', async () => {
    const role = (await t.call({ method: 'PUT', url: '/api/v1/roles', token: admin, payload: { name: 'Lister', permissions: ['user:view'] } })).json();
    const kim = await t.userToken('kim', { roles: ['Lister'] });
    const list = () => t.call({ method: 'GET', url: '/api/v1/users', token: kim.token });
    const me = async () => (await t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', token: kim.token })).json();
    expect((await list()).statusCode).toBe(200); // principal cached with user:view
    expect((await me()).roles.map((r: { name: string }) => r.name)).toEqual(['Lister']);

    const deleted = await t.call({ method: 'DELETE', url: `/api/v1/roles/${role.id}`, token: admin });
    expect([deleted.statusCode, deleted.json().deleted, deleted.json().version]).toEqual([200, true, 0.2]);
    expect(problems('role.json', deleted.json())).toEqual([]);
    expect((await list()).statusCode).toBe(403);
    expect((await me()).roles).toEqual([]);

    expect((await t.call({ method: 'GET', url: '/api/v1/roles/name/Lister', token: admin })).statusCode).toBe(404);
    expect((await t.call({ method: 'GET', url: `/api/v1/roles/${role.id}?include=all`, token: admin })).json().deleted).toBe(true);
    expect(names((await t.call({ method: 'GET', url: '/api/v1/roles?limit=100', token: admin })).json())).not.toContain('Lister');
    const onlyDeleted = (await t.call({ method: 'GET', url: '/api/v1/roles?include=deleted', token: admin })).json();
    expect(names(onlyDeleted)).toEqual(['Lister']);
    expect(problems('role-list.json', onlyDeleted)).toEqual([]);
    expect(names((await t.call({ method: 'GET', url: '/api/v1/roles?include=all&limit=100', token: admin })).json())).toContain('Lister');

    // A deleted role is neither granted nor edited; its name stays taken until it is deleted for good.
    const grant = await t.call({ method: 'PATCH', url: `/api/v1/users/${kim.id}`, token: admin, payload: { roles: ['Lister'] } });
    expect([grant.statusCode, grant.json().detail]).toEqual([400, expect.stringContaining('no role named "Lister"')]);
    expect((await t.call({ method: 'PATCH', url: `/api/v1/roles/${role.id}`, token: admin, payload: { permissions: [] } })).statusCode).toBe(400);
    expect((await t.call({ method: 'PUT', url: '/api/v1/roles', token: admin, payload: { name: 'Lister', permissions: [] } })).statusCode).toBe(400);
    expect((await t.call({ method: 'POST', url: '/api/v1/roles', token: admin, payload: { name: 'Lister', permissions: [] } })).statusCode).toBe(409);

    const restored = await t.call({ method: 'PUT', url: '/api/v1/roles/restore', token: admin, payload: { id: role.id } });
    expect([restored.statusCode, restored.json().deleted]).toEqual([200, false]);
    expect((await list()).statusCode).toBe(200); // kim's grant was kept
    expect((await me()).roles.map((r: { name: string }) => r.name)).toEqual(['Lister']);

    const system = (await t.call({ method: 'GET', url: '/api/v1/roles/name/DataConsumer', token: admin })).json();
    expect((await t.call({ method: 'DELETE', url: `/api/v1/roles/${system.id}`, token: admin })).statusCode).toBe(409);
    expect((await t.call({ method: 'DELETE', url: '/api/v1/roles/name/Lister', token: admin })).statusCode).toBe(200);
    expect((await t.call({ method: 'DELETE', url: '/api/v1/roles/name/Lister?hardDelete=true', token: admin })).statusCode).toBe(204);
    expect((await t.call({ method: 'GET', url: `/api/v1/roles/${role.id}?include=all`, token: admin })).statusCode).toBe(404);
    expect((await t.call({ method: 'PUT', url: '/api/v1/roles/restore', token: admin, payload: { id: role.id } })).statusCode).toBe(404);
    expect((await list()).statusCode).toBe(403);
  });

  it('a bot token that expired while its bot was deleted stays refused after the restore', async () => {
    const bot = (await t.call({ method: 'PUT', url: '/api/v1/bots', token: admin, payload: { name: 'nightly-bot' } })).json();
    const made = (await t.call({ method: 'PUT', url: `/api/v1/users/generateToken/${bot.botUser.id}`, token: admin, payload: { JWTTokenExpiry: '7' } })).json();
    expect((await t.call({ method: 'DELETE', url: `/api/v1/bots/${bot.id}`, token: admin })).statusCode).toBe(200);
    t.clock.advance(8 * 86_400_000);
    const fresh = (await t.login('admin', ADMIN_PASSWORD)).json().accessToken as string;
    expect((await t.call({ method: 'PUT', url: '/api/v1/bots/restore', token: fresh, payload: { id: bot.id } })).statusCode).toBe(200);
    expect((await t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', token: made.JWTToken })).statusCode).toBe(401);
    admin = fresh;
  });
});
