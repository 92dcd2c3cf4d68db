import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { startTestApp, type TestApp, USER_PASSWORD } from '../support/test-app.js';
import { problems } from './validate.js';

const JSON_PATCH = { 'content-type': 'application/json-patch+json' };
const cursorOf = (name: string) => Buffer.from(name).toString('base64');

/** The flows OpenMetadata's UI and SDK use, validated against schemas written from OpenMetadata's spec. */
describe.each(ENGINES)('OpenMetadata entity API on %s', (engine) => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startTestApp({ AUTHORIZER_ADMIN_PRINCIPALS: '[admin]', AUTHORIZER_PRINCIPAL_DOMAIN: 'example.com' }, { engine });
    admin = await t.adminToken();
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  it('creates users with role ids (CreateUser), answers in the User schema, and PUT creates then updates', async () => {
    const roles = (await t.call({ method: 'GET', url: '/api/v1/roles?limit=100', token: admin })).json();
    expect(problems('role-list.json', roles)).toEqual([]);
    const consumer = roles.data.find((r: { name: string }) => r.name === 'DataConsumer');
    const created = await t.call({ method: 'POST', url: '/api/v1/users', token: admin, payload: { name: 'alice', email: 'alice@example.com', displayName: 'Alice', roles: [consumer.id], teams: [] } });
    expect(created.statusCode).toBe(201);
    const alice = created.json();
    expect(problems('user.json', alice)).toEqual([]);
    expect(alice).toMatchObject({ fullyQualifiedName: 'alice', version: 0.1, updatedAt: t.clock.now(), updatedBy: 'admin', deleted: false, href: `http://127.0.0.1:8585/api/v1/users/${alice.id}` });
    expect(alice.roles).toEqual([{ id: consumer.id, type: 'role', name: 'DataConsumer', fullyQualifiedName: 'DataConsumer', displayName: consumer.displayName, deleted: false, href: `http://127.0.0.1:8585/api/v1/roles/${consumer.id}` }]);
    expect(alice).not.toHaveProperty('disabled');

    const put = await t.call({ method: 'PUT', url: '/api/v1/users', token: admin, payload: { name: 'bob', email: 'bob@example.com' } });
    expect(put.statusCode).toBe(201);
    const again = await t.call({ method: 'PUT', url: '/api/v1/users', token: admin, payload: { name: 'bob', email: 'bob@example.com', displayName: 'Bob B.' } });
    expect([again.statusCode, again.json().id, again.json().displayName, again.json().version]).toEqual([200, put.json().id, 'Bob B.', 0.2]);
    const byName = (await t.call({ method: 'GET', url: '/api/v1/users/name/bob', token: admin })).json();
    expect(problems('user.json', byName)).toEqual([]);
    const extras = (await t.call({ method: 'GET', url: '/api/v1/users/name/bob?fields=roles,gatehouse', token: admin })).json();
    expect(extras).toMatchObject({ disabled: false, mustChangePassword: false, roleGrants: [] });
    expect((await t.call({ method: 'GET', url: '/api/v1/users/name/bob?fields=nonsense', token: admin })).statusCode).toBe(400);
  });

  it('creates a user with a password (ADMIN_CREATE) who signs in and must change it first; USER_CREATE is refused', async () => {
    const password = 'Admin-chosen-pass-42';
    const created = await t.call({ method: 'POST', url: '/api/v1/users', token: admin, payload: { name: 'hana', email: 'hana@example.com', password, confirmPassword: password, createPasswordType: 'ADMIN_CREATE' } });
    expect(created.statusCode).toBe(201);
    expect(problems('user.json', created.json())).toEqual([]);
    const login = await t.call({ method: 'POST', url: '/api/v1/users/login', payload: { email: 'hana@example.com', password: Buffer.from(password).toString('base64') } });
    expect(login.statusCode).toBe(200);
    const token = login.json().accessToken;
    expect((await t.call({ method: 'GET', url: '/api/v1/users/loggedInUser?fields=gatehouse', token })).json().mustChangePassword).toBe(true);
    const mismatch = await t.call({ method: 'POST', url: '/api/v1/users', token: admin, payload: { name: 'ivan', email: 'ivan@example.com', password, confirmPassword: 'other', createPasswordType: 'ADMIN_CREATE' } });
    expect(mismatch.json().code).toBe('AUTH_PASSWORD_MISMATCH');
    const weak = await t.call({ method: 'PUT', url: '/api/v1/users', token: admin, payload: { name: 'ivan', email: 'ivan@example.com', password: 'password', confirmPassword: 'password', createPasswordType: 'ADMIN_CREATE' } });
    expect(weak.json().code).toBe('AUTH_PASSWORD_WEAK');
    expect((await t.call({ method: 'GET', url: '/api/v1/users/name/ivan', token: admin })).statusCode).toBe(404);
    const mail = await t.call({ method: 'POST', url: '/api/v1/users', token: admin, payload: { name: 'ivan', email: 'ivan@example.com', createPasswordType: 'USER_CREATE' } });
    expect([mail.statusCode, mail.json().detail]).toEqual([400, expect.stringContaining('Gatehouse does not send')]);
  });

  it("gives a user without an e-mail, and a bot user, OpenMetadata's <name>@<principalDomain> without storing it", async () => {
    const made = await t.call({ method: 'PUT', url: '/api/v1/users', token: admin, payload: { name: 'nomail' } });
    expect([made.statusCode, made.json().email]).toEqual([201, 'nomail@example.com']);
    expect(problems('user.json', made.json())).toEqual([]);
    const extras = (await t.call({ method: 'GET', url: '/api/v1/users/name/nomail?fields=gatehouse', token: admin })).json();
    expect([extras.email, extras.emailDerived]).toEqual(['nomail@example.com', true]);
    // Only the shape says it: the stored address stays empty, so it is not "in use".
    expect((await t.call({ method: 'GET', url: '/api/v1/users/checkEmailInUse/nomail@example.com', token: admin })).json()).toBe(false);
    const botUser = (await t.call({ method: 'GET', url: '/api/v1/users/name/ingestion-bot', token: admin })).json();
    expect([botUser.isBot, botUser.email]).toEqual([true, 'ingestion-bot@example.com']);
    expect(problems('user.json', botUser)).toEqual([]);
    const everyone = (await t.call({ method: 'GET', url: '/api/v1/users?limit=100&include=all', token: admin })).json();
    expect(everyone.data.map((u: { name: string }) => u.name)).toEqual(expect.arrayContaining(['admin', 'ingestion-bot', 'nomail']));
    expect(problems('user-list.json', everyone)).toEqual([]);
    const withMail = (await t.call({ method: 'GET', url: '/api/v1/users/name/alice?fields=gatehouse', token: admin })).json();
    expect(withMail.email).toBe('alice@example.com');
    expect(withMail).not.toHaveProperty('emailDerived');
  });

  it('lists users page by page with cursors, forwards and back, and filters isBot / isAdmin', async () => {
    for (const name of ['p1', 'p2', 'p3', 'p4', 'p5']) await t.call({ method: 'PUT', url: '/api/v1/users', token: admin, payload: { name, email: `${name}@example.com` } });
    const names: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const res = await t.call({ method: 'GET', url: `/api/v1/users?isBot=false&limit=2${after ? `&after=${encodeURIComponent(after)}` : ''}`, token: admin });
      const page = res.json();
      expect(problems('user-list.json', page)).toEqual([]);
      names.push(...page.data.map((u: { name: string }) => u.name));
      after = page.paging.after;
      pages += 1;
    } while (after && pages < 10);
    const all = (await t.call({ method: 'GET', url: '/api/v1/users?isBot=false&limit=100', token: admin })).json();
    expect(names).toEqual(all.data.map((u: { name: string }) => u.name));
    expect(all.paging.total).toBe(names.length);
    const back = (await t.call({ method: 'GET', url: `/api/v1/users?isBot=false&limit=2&before=${encodeURIComponent(cursorOf('p3'))}`, token: admin })).json();
    expect(back.data.map((u: { name: string }) => u.name)).toEqual(['p1', 'p2']);
    expect(back.paging.after).toBe(cursorOf('p2'));
    const bots = (await t.call({ method: 'GET', url: '/api/v1/users?isBot=true', token: admin })).json();
    expect(bots.data.map((u: { name: string }) => u.name)).toEqual(['ingestion-bot']);
    const admins = (await t.call({ method: 'GET', url: '/api/v1/users?isAdmin=true', token: admin })).json();
    expect(admins.data.map((u: { name: string }) => u.name)).toEqual(['admin']);
    expect((await t.call({ method: 'GET', url: '/api/v1/users?limit=1000001', token: admin })).statusCode).toBe(400);
  });

  it('applies JSON Patch with the same rules: nobody promotes themselves through isAdmin, roles or isBot', async () => {
    const carol = (await t.call({ method: 'PUT', url: '/api/v1/users', token: admin, payload: { name: 'carol', email: 'carol@example.com' } })).json();
    const patched = await t.call({ method: 'PATCH', url: `/api/v1/users/${carol.id}`, token: admin, headers: JSON_PATCH, payload: [{ op: 'add', path: '/displayName', value: 'Carol C.' }] });
    expect([patched.statusCode, patched.json().displayName, patched.json().version]).toEqual([200, 'Carol C.', 0.2]);
    const failedTest = await t.call({ method: 'PATCH', url: `/api/v1/users/${carol.id}`, token: admin, headers: JSON_PATCH, payload: [{ op: 'replace', path: '/displayName', value: 'X' }, { op: 'test', path: '/isAdmin', value: true }] });
    expect(failedTest.statusCode).toBe(400);
    expect((await t.call({ method: 'GET', url: `/api/v1/users/${carol.id}`, token: admin })).json().displayName).toBe('Carol C.');

    await t.call({ method: 'PUT', url: '/api/v1/roles', token: admin, payload: { name: 'UserManager', permissions: ['user:view', 'user:manage'] } });
    const manager = await t.userToken('mgr', { roles: ['UserManager'] });
    const selfAdmin = await t.call({ method: 'PATCH', url: `/api/v1/users/${manager.id}`, token: manager.token, headers: JSON_PATCH, payload: [{ op: 'replace', path: '/isAdmin', value: true }] });
    expect([selfAdmin.statusCode, selfAdmin.json().code]).toEqual([403, 'USER_FLAG_FORBIDDEN']);
    const selfBot = await t.call({ method: 'PATCH', url: `/api/v1/users/${manager.id}`, token: manager.token, headers: JSON_PATCH, payload: [{ op: 'replace', path: '/isBot', value: true }] });
    expect([selfBot.statusCode, selfBot.json().code]).toEqual([403, 'USER_FLAG_FORBIDDEN']);
    const plain = await t.userToken('plain', { roles: ['DataConsumer'] });
    const steward = (await t.call({ method: 'GET', url: '/api/v1/roles/name/DataSteward', token: admin })).json();
    const selfRoles = await t.call({ method: 'PATCH', url: `/api/v1/users/${plain.id}`, token: plain.token, headers: JSON_PATCH, payload: [{ op: 'add', path: '/roles/-', value: { id: steward.id, type: 'role' } }] });
    expect([selfRoles.statusCode, selfRoles.json().code]).toEqual([403, 'FORBIDDEN']);
    const me = (await t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', token: plain.token })).json();
    expect(me.roles.map((r: { name: string }) => r.name)).toEqual(['DataConsumer']);
    // The admin may grant it through the same patch.
    const granted = await t.call({ method: 'PATCH', url: `/api/v1/users/${plain.id}`, token: admin, headers: JSON_PATCH, payload: [{ op: 'add', path: '/roles/-', value: { id: steward.id, type: 'role' } }] });
    expect(granted.json().roles.map((r: { name: string }) => r.name).sort()).toEqual(['DataConsumer', 'DataSteward']);
    const rename = await t.call({ method: 'PATCH', url: `/api/v1/users/${plain.id}`, token: admin, headers: JSON_PATCH, payload: [{ op: 'replace', path: '/name', value: 'other' }] });
    expect(rename.statusCode).toBe(400);
  });

  it('soft-deletes a user (no sign-in, hidden) and restores it; hardDelete removes it', async () => {
    const dan = await t.userToken('dan');
    const deleted = await t.call({ method: 'DELETE', url: `/api/v1/users/${dan.id}`, token: admin });
    expect([deleted.statusCode, deleted.json().deleted]).toEqual([200, true]);
    expect((await t.login('dan', USER_PASSWORD)).statusCode).not.toBe(200);
    expect((await t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', token: dan.token })).statusCode).toBe(401);
    expect((await t.call({ method: 'GET', url: `/api/v1/users/${dan.id}`, token: admin })).statusCode).toBe(404);
    expect((await t.call({ method: 'GET', url: `/api/v1/users/${dan.id}?include=deleted`, token: admin })).json().deleted).toBe(true);
    const listed = (await t.call({ method: 'GET', url: '/api/v1/users?include=deleted', token: admin })).json();
    expect(listed.data.map((u: { name: string }) => u.name)).toEqual(['dan']);
    const edit = await t.call({ method: 'PATCH', url: `/api/v1/users/${dan.id}`, token: admin, payload: { disabled: false } });
    expect(edit.statusCode).toBe(400);
    const restored = await t.call({ method: 'PUT', url: '/api/v1/users/restore', token: admin, payload: { id: dan.id } });
    expect([restored.statusCode, restored.json().deleted]).toEqual([200, false]);
    expect((await t.login('dan', USER_PASSWORD)).statusCode).toBe(200);
    expect((await t.call({ method: 'DELETE', url: `/api/v1/users/${dan.id}?hardDelete=true`, token: admin })).statusCode).toBe(204);
    expect((await t.call({ method: 'GET', url: `/api/v1/users/${dan.id}?include=all`, token: admin })).statusCode).toBe(404);
  });

  it('creates a bot with PUT, generates its token, reads it by name and patches it (Bot schema)', async () => {
    const put = await t.call({ method: 'PUT', url: '/api/v1/bots', token: admin, payload: { name: 'etl-bot', botUser: 'etl-bot', description: 'Loads things.' } });
    expect(put.statusCode).toBe(201);
    const bot = put.json();
    expect(problems('bot.json', bot)).toEqual([]);
    expect(bot.botUser).toMatchObject({ type: 'user', name: 'etl-bot' });
    const token = await t.call({ method: 'PUT', url: `/api/v1/users/generateToken/${bot.botUser.id}`, token: admin, payload: { JWTTokenExpiry: '7' } });
    expect(token.statusCode).toBe(200);
    const byName = (await t.call({ method: 'GET', url: '/api/v1/bots/name/etl-bot', token: admin })).json();
    expect(problems('bot.json', byName)).toEqual([]);
    const patched = await t.call({ method: 'PATCH', url: `/api/v1/bots/${bot.id}`, token: admin, headers: JSON_PATCH, payload: [{ op: 'replace', path: '/description', value: 'Loads more.' }] });
    expect([patched.statusCode, patched.json().description, patched.json().version]).toEqual([200, 'Loads more.', 0.2]);
    const again = await t.call({ method: 'PUT', url: '/api/v1/bots', token: admin, payload: { name: 'etl-bot', botUser: 'etl-bot', displayName: 'ETL' } });
    expect([again.statusCode, again.json().id, again.json().displayName]).toEqual([200, bot.id, 'ETL']);
    const list = (await t.call({ method: 'GET', url: '/api/v1/bots', token: admin })).json();
    expect(problems('bot-list.json', list)).toEqual([]);
    expect(list.paging.total).toBe(2);
  });

  it('roles: get by name, PUT create-or-update, and policies refused with a clear error', async () => {
    const role = (await t.call({ method: 'GET', url: '/api/v1/roles/name/DataConsumer', token: admin })).json();
    expect(problems('role.json', role)).toEqual([]);
    expect(role).toMatchObject({ allowDelete: false, provider: 'system' });
    const created = await t.call({ method: 'PUT', url: '/api/v1/roles', token: admin, payload: { name: 'Reader', permissions: ['entity:view'] } });
    expect(created.statusCode).toBe(201);
    const shaped = (await t.call({ method: 'GET', url: `/api/v1/roles/${created.json().id}`, token: admin })).json();
    expect(problems('role.json', shaped)).toEqual([]);
    const policies = await t.call({ method: 'POST', url: '/api/v1/roles', token: admin, payload: { name: 'Pol', policies: ['DataConsumerPolicy'] } });
    expect([policies.statusCode, policies.json().detail]).toEqual([400, expect.stringContaining('permissions, not OpenMetadata policies')]);
  });
});
