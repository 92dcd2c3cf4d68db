import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, USER_PASSWORD } from '../support/test-app.js';

describe('users and roles API', () => {
  let t: TestApp;
  let admin: string;
  beforeEach(async () => {
    t = await startTestApp({ AUTHORIZER_ADMIN_PRINCIPALS: '[admin]' });
    admin = await t.adminToken();
  });
  afterEach(async () => {
    await t.close();
  });

  it('creates, lists with paging and search, gets by id and name, updates and deletes users', async () => {
    for (const name of ['dave', 'erin', 'frank']) {
      const res = await t.call({ method: 'POST', url: '/api/v1/users', token: admin, payload: { name, email: `${name}@example.com`, displayName: name.toUpperCase(), roles: ['DataConsumer'] } });
      expect(res.statusCode).toBe(201);
    }
    const page = await t.call({ method: 'GET', url: '/api/v1/users?limit=2&offset=1&isBot=false', token: admin });
    const cursor = (name: string) => Buffer.from(name).toString('base64');
    expect(page.json().paging).toEqual({ total: 4, offset: 1, before: cursor('dave'), after: cursor('erin') });
    expect(page.json().data.map((u: { name: string }) => u.name)).toEqual(['dave', 'erin']);
    const search = await t.call({ method: 'GET', url: '/api/v1/users?q=ERI', token: admin });
    expect(search.json().data.map((u: { name: string }) => u.name)).toEqual(['erin']);
    const erin = (await t.call({ method: 'GET', url: '/api/v1/users/name/erin?fields=gatehouse', token: admin })).json();
    expect(erin).toMatchObject({ email: 'erin@example.com', displayName: 'ERIN', isAdmin: false, isBot: false, roles: [{ name: 'DataConsumer', type: 'role' }], roleGrants: [{ name: 'DataConsumer', source: 'manual' }] });
    expect(erin).not.toHaveProperty('password_hash');
    expect(JSON.stringify(erin)).not.toContain('$argon2');
    expect((await t.call({ method: 'GET', url: `/api/v1/users/${erin.id}`, token: admin })).json().name).toBe('erin');
    const updated = await t.call({ method: 'PATCH', url: `/api/v1/users/${erin.id}`, token: admin, payload: { roles: ['DataSteward'], displayName: 'Erin E.' } });
    expect(updated.json()).toMatchObject({ displayName: 'Erin E.', roles: [{ name: 'DataSteward' }] });
    expect((await t.call({ method: 'DELETE', url: `/api/v1/users/${erin.id}?hardDelete=true`, token: admin })).statusCode).toBe(204);
    expect((await t.call({ method: 'GET', url: `/api/v1/users/${erin.id}`, token: admin })).statusCode).toBe(404);
  });

  it('refuses duplicates, unknown roles and bad names with clear errors', async () => {
    await t.call({ method: 'POST', url: '/api/v1/users', token: admin, payload: { name: 'gina', email: 'gina@example.com' } });
    const dupe = await t.call({ method: 'POST', url: '/api/v1/users', token: admin, payload: { name: 'GINA' } });
    expect([dupe.statusCode, dupe.json().code]).toEqual([409, 'CONFLICT']);
    const dupeMail = await t.call({ method: 'POST', url: '/api/v1/users', token: admin, payload: { name: 'gina2', email: 'GINA@example.com' } });
    expect(dupeMail.statusCode).toBe(409);
    const role = await t.call({ method: 'POST', url: '/api/v1/users', token: admin, payload: { name: 'hank', roles: ['Emperor'] } });
    expect([role.statusCode, role.json().detail]).toEqual([400, 'There is no role named "Emperor".']);
    const name = await t.call({ method: 'POST', url: '/api/v1/users', token: admin, payload: { name: '../etc' } });
    expect(name.statusCode).toBe(400);
  });

  it('never lets a request set the bot flag, and only other admins grant admin', async () => {
    const bot = await t.call({ method: 'POST', url: '/api/v1/users', token: admin, payload: { name: 'sneaky', isBot: true } });
    expect(bot.statusCode).toBe(400);
    const me = (await t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', token: admin })).json();
    const selfDemote = await t.call({ method: 'PATCH', url: `/api/v1/users/${me.id}`, token: admin, payload: { isAdmin: false } });
    expect(selfDemote.json().code).toBe('USER_FLAG_FORBIDDEN');
    // A user manager who is not an admin cannot make anyone admin, themselves included.
    await t.call({ method: 'POST', url: '/api/v1/roles', token: admin, payload: { name: 'UserManager', permissions: ['user:view', 'user:manage'] } });
    const manager = await t.userToken('mona', { roles: ['UserManager'] });
    const promote = await t.call({ method: 'PATCH', url: `/api/v1/users/${manager.id}`, token: manager.token, payload: { isAdmin: true } });
    expect([promote.statusCode, promote.json().code]).toEqual([403, 'USER_FLAG_FORBIDDEN']);
    const create = await t.call({ method: 'POST', url: '/api/v1/users', token: manager.token, payload: { name: 'newadmin', isAdmin: true } });
    expect(create.json().code).toBe('USER_FLAG_FORBIDDEN');
  });

  it('keeps at least one admin; the bootstrap admin can go once another admin exists', async () => {
    const me = (await t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', token: admin })).json();
    const last = await t.call({ method: 'DELETE', url: `/api/v1/users/${me.id}`, token: admin });
    expect([last.statusCode, last.json().code]).toEqual([409, 'USER_LAST_ADMIN']);
    const other = await t.userToken('olga');
    await t.call({ method: 'PATCH', url: `/api/v1/users/${other.id}`, token: admin, payload: { isAdmin: true } });
    const olga = (await t.login('olga', USER_PASSWORD)).json().accessToken;
    expect((await t.call({ method: 'DELETE', url: `/api/v1/users/${me.id}?hardDelete=true`, token: olga })).statusCode).toBe(204);
    expect((await t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', token: admin })).statusCode).toBe(401);
    const olgaMe = (await t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', token: olga })).json();
    expect((await t.call({ method: 'PATCH', url: `/api/v1/users/${olgaMe.id}`, token: olga, payload: { disabled: true } })).json().code).toBe('USER_LAST_ADMIN');
  });

  it('applies permissions: a consumer reads roles but not users, and cannot change them', async () => {
    const user = await t.userToken('paul', { roles: ['DataConsumer'] });
    expect((await t.call({ method: 'GET', url: '/api/v1/users', token: user.token })).statusCode).toBe(403);
    expect((await t.call({ method: 'GET', url: '/api/v1/roles', token: user.token })).json().data.map((r: { name: string }) => r.name)).toEqual(
      expect.arrayContaining(['DataConsumer', 'DataSteward', 'IngestionBotRole']),
    );
    const forbidden = await t.call({ method: 'POST', url: '/api/v1/roles', token: user.token, payload: { name: 'X', permissions: [] } });
    expect([forbidden.statusCode, forbidden.json().code]).toEqual([403, 'FORBIDDEN']);
    const me = await t.call({ method: 'GET', url: '/api/v1/users/loggedInUser?fields=gatehouse', token: user.token });
    expect(me.json().roles).toEqual([expect.objectContaining({ name: 'DataConsumer', type: 'role' })]);
    expect(me.json().roleGrants).toEqual([expect.objectContaining({ name: 'DataConsumer', source: 'manual' })]);
  });

  it('manages roles: create, update permissions, refuse unknown permissions and deleting defaults', async () => {
    const created = await t.call({ method: 'POST', url: '/api/v1/roles', token: admin, payload: { name: 'Auditor', permissions: ['audit:view'] } });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    const bad = await t.call({ method: 'PATCH', url: `/api/v1/roles/${id}`, token: admin, payload: { permissions: ['root:everything'] } });
    expect(bad.statusCode).toBe(400);
    const auditor = await t.userToken('quinn', { roles: ['Auditor'] });
    expect((await t.call({ method: 'GET', url: '/api/v1/audit', token: auditor.token })).statusCode).toBe(200);
    await t.call({ method: 'PATCH', url: `/api/v1/roles/${id}`, token: admin, payload: { permissions: [] } });
    // The change holds on the very next request (cached principals are dropped).
    expect((await t.call({ method: 'GET', url: '/api/v1/audit', token: auditor.token })).statusCode).toBe(403);
    const consumer = (await t.call({ method: 'GET', url: '/api/v1/roles/DataConsumer', token: admin })).json();
    expect((await t.call({ method: 'DELETE', url: `/api/v1/roles/${consumer.id}`, token: admin })).statusCode).toBe(409);
    expect((await t.call({ method: 'DELETE', url: `/api/v1/roles/${id}?hardDelete=true`, token: admin })).statusCode).toBe(204);
  });

  it('records security events in the audit log with filters and paging', async () => {
    await t.login('admin', 'wrong-password-9');
    await t.call({ method: 'POST', url: '/api/v1/users', token: admin, payload: { name: 'rita' } });
    const failures = await t.call({ method: 'GET', url: '/api/v1/audit?outcome=failure&type=auth.login', token: admin });
    expect(failures.json().data[0]).toMatchObject({ type: 'auth.login', outcome: 'failure', targetName: 'admin', details: { reason: 'wrong-password' } });
    const created = await t.call({ method: 'GET', url: '/api/v1/audit?type=user.create', token: admin });
    expect(created.json().data[0]).toMatchObject({ actorName: 'admin', targetName: 'rita', ip: '127.0.0.1' });
    const paged = await t.call({ method: 'GET', url: '/api/v1/audit?limit=1&offset=1', token: admin });
    expect(paged.json().data).toHaveLength(1);
    expect(paged.json().paging.total).toBeGreaterThan(3);
    const range = await t.call({ method: 'GET', url: `/api/v1/audit?from=${encodeURIComponent(new Date(t.clock.now() + 1000).toISOString())}`, token: admin });
    expect(range.json().paging.total).toBe(0);
  });
});
