import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRoleStore } from '../../src/storage/index.js';
import { seedDefaultRoles } from '../../src/users/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** The ingestion bot's permissions as released before: what start-up finds in an existing database. */
const OLD_INGESTION = ['entity:view', 'entity:create', 'entity:edit', 'entity:editLineage', 'entity:editDescription', 'entity:editTags', 'ingestion:run'];

describe('bot roles: what the ingestion bot may do, choosing and changing a bot\'s roles', () => {
  let t: TestApp;
  let admin: string;
  beforeEach(async () => {
    t = await startTestApp();
    admin = await t.adminToken();
  });
  afterEach(async () => {
    await t.close();
  });

  async function botWithToken(name: string, roles?: string[]) {
    const created = await t.call({ method: 'POST', url: '/api/v1/bots', token: admin, payload: { name, ...(roles ? { roles } : {}) } });
    expect(created.statusCode).toBe(201);
    const { id } = created.json<{ id: string }>();
    // A bot's roles are Gatehouse's own field (OpenMetadata's Bot has none): asked for with fields=gatehouse.
    const bot = (await t.call({ method: 'GET', url: `/api/v1/bots/${id}?fields=gatehouse`, token: admin })).json<{ botUser: { id: string }; roles: string[] }>();
    const token = (await t.call({ method: 'PUT', url: `/api/v1/users/generateToken/${bot.botUser.id}`, token: admin, payload: { JWTTokenExpiry: '7' } }))
      .json<{ JWTToken: string }>().JWTToken;
    return { ...bot, token };
  }
  const status = async (token: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    (await t.call({ method, url, token, ...(payload ? { payload } : {}) })).statusCode;

  it('an ingestion bot reads and writes metadata and looks up users, and administers nothing', async () => {
    const roles = (await t.call({ method: 'GET', url: '/api/v1/roles?fields=gatehouse&limit=100', token: admin })).json<{ data: { name: string; permissions: string[] }[] }>().data;
    const ingestion = roles.find((r) => r.name === 'IngestionBotRole');
    expect(new Set(ingestion?.permissions)).toEqual(new Set([
      'entity:view', 'entity:create', 'entity:edit', 'entity:delete', 'entity:editDescription', 'entity:editDisplayName',
      'entity:editTags', 'entity:editOwners', 'entity:editLineage', 'ingestion:run', 'user:view',
    ]));
    const bot = await botWithToken('lake-ingest');
    expect(bot.roles).toEqual(['IngestionBotRole']);
    // OpenMetadata's ingestion resolves owners by listing users: this was refused before.
    expect(await status(bot.token, 'GET', '/api/v1/users')).toBe(200);
    expect(await status(bot.token, 'GET', '/api/v1/users/name/admin')).toBe(200);
    expect(await status(bot.token, 'POST', '/api/v1/users', { name: 'sneaky' })).toBe(403);
    expect(await status(bot.token, 'POST', '/api/v1/bots', { name: 'other-bot' })).toBe(403);
    expect(await status(bot.token, 'GET', '/api/v1/system/keys')).toBe(403);
    expect(await status(bot.token, 'GET', '/api/v1/audit')).toBe(403);
  });

  it('a bot gets the role chosen at creation, and a changed role applies to its current token at once', async () => {
    const bot = await botWithToken('profiler', ['ProfilerBotRole']);
    expect(bot.roles).toEqual(['ProfilerBotRole']);
    expect(await status(bot.token, 'GET', '/api/v1/users')).toBe(403);
    const changed = await t.call({ method: 'PATCH', url: `/api/v1/users/${bot.botUser.id}`, token: admin, payload: { roles: ['IngestionBotRole'] } });
    expect(changed.statusCode).toBe(200);
    const listed = (await t.call({ method: 'GET', url: '/api/v1/bots?fields=gatehouse&limit=100', token: admin })).json<{ data: { name: string; roles: string[] }[] }>().data;
    expect(listed.find((b) => b.name === 'profiler')?.roles).toEqual(['IngestionBotRole']);
    expect(await status(bot.token, 'GET', '/api/v1/users')).toBe(200);
  });

  it('start-up brings an unedited ingestion role of an earlier release up to date, and leaves an edited one alone', async () => {
    const roles = createRoleStore(t.handle.db);
    const stored = await roles.findByName('IngestionBotRole');
    const steward = await roles.findByName('DataSteward');
    if (!stored || !steward) throw new Error('default roles missing');
    await roles.update(stored.id, { permissions: JSON.stringify([...OLD_INGESTION].reverse()) });
    const edited = JSON.stringify(['entity:view']);
    await roles.update(steward.id, { permissions: edited });
    await seedDefaultRoles(roles, t.clock);
    expect(JSON.parse((await roles.findByName('IngestionBotRole'))?.permissions ?? '[]')).toContain('user:view');
    expect((await roles.findByName('DataSteward'))?.permissions).toBe(edited);

    const customised = JSON.stringify([...OLD_INGESTION, 'audit:view']);
    await roles.update(stored.id, { permissions: customised });
    await seedDefaultRoles(roles, t.clock);
    expect((await roles.findByName('IngestionBotRole'))?.permissions).toBe(customised);
  });
});
