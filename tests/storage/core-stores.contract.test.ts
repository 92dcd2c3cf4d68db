import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createAuditStore,
  createBotStore,
  createIdentityStore,
  createLoginAttemptStore,
  createRefreshTokenStore,
  createRoleStore,
  createUserStore,
  type UserRow,
} from '../../src/storage/index.js';
import { ENGINES, freshDatabase } from '../support/databases.js';

type Handle = Awaited<ReturnType<typeof freshDatabase>>;
const T0 = 1_767_225_600_000;

function user(id: string, name: string, extra: Partial<UserRow> = {}): UserRow {
  return {
    id, name, email: `${name}@example.com`, display_name: name.toUpperCase(), is_admin: 0, is_bot: 0, disabled: 0,
    password_hash: null, must_change_password: 0, is_bootstrap: 0, created_at: T0, updated_at: T0, ...extra,
  };
}

describe.each(ENGINES)('core store contract on %s', (engine) => {
  let h: Handle;
  beforeEach(async () => {
    h = await freshDatabase(engine);
  });
  afterEach(async () => {
    await h.dispose();
  });

  it('users: insert, find, search with literal wildcards, page, update, delete, last-admin guard', async () => {
    const users = createUserStore(h.db, engine);
    await users.insert(user('1', 'alice', { is_admin: 1 }));
    await users.insert(user('2', 'bob'));
    await users.insert(user('3', 'under_score'));
    await users.insert(user('4', 'bot1', { is_bot: 1, email: null }));
    expect((await users.findByName('alice'))?.id).toBe('1');
    expect((await users.findByEmail('bob@example.com'))?.name).toBe('bob');
    expect(await users.findById('nope')).toBeUndefined();
    expect((await users.list({ limit: 10, offset: 0 })).total).toBe(3);
    expect((await users.list({ limit: 10, offset: 0, includeBots: true })).total).toBe(4);
    const page = await users.list({ limit: 1, offset: 1 });
    expect(page.rows.map((r) => r.name)).toEqual(['bob']);
    expect(page.total).toBe(3);
    expect((await users.list({ q: '_', limit: 10, offset: 0 })).rows.map((r) => r.name)).toEqual(['under_score']);
    expect((await users.list({ q: 'ALI', limit: 10, offset: 0 })).rows.map((r) => r.name)).toEqual(['alice']);
    expect(await users.changeUnlessLastAdmin('1', { is_admin: 0 })).toBe('last-admin');
    expect((await users.update('2', { is_admin: 1, updated_at: T0 + 1 }))?.is_admin).toBe(1);
    expect(await users.changeUnlessLastAdmin('2', { disabled: 1 })).toBe('done');
    expect(await users.changeUnlessLastAdmin('1', null)).toBe('last-admin');
    expect((await users.findById('1'))?.is_admin).toBe(1);
    await expect(users.insert(user('5', 'alice'))).rejects.toThrow();
    expect(await users.delete('2')).toBe(true);
    expect(await users.delete('2')).toBe(false);
  });

  it('users (migration 006): version and deleted defaults, filters by isBot / isAdmin / deleted, name cursors both ways', async () => {
    const users = createUserStore(h.db, engine);
    for (const [i, name] of ['ann', 'ben', 'cat', 'dot', 'eve'].entries()) await users.insert(user(String(i), name, { is_admin: name === 'ann' ? 1 : 0 }));
    await users.insert(user('b', 'bot9', { is_bot: 1, email: null }));
    const ann = await users.findById('0');
    expect([ann?.version, ann?.deleted, ann?.updated_by]).toEqual([0.1, 0, null]);
    expect((await users.update('1', { deleted: 1, disabled: 1, version: 0.2, updated_by: 'ann' }))?.version).toBe(0.2);
    const names = async (q: Parameters<typeof users.list>[0]) => (await users.list(q)).rows.map((r) => r.name);
    expect(await names({ limit: 10, includeBots: true })).toEqual(['ann', 'bot9', 'cat', 'dot', 'eve']);
    expect(await names({ limit: 10, include: 'deleted' })).toEqual(['ben']);
    expect((await users.list({ limit: 10, include: 'all' })).total).toBe(5);
    expect(await names({ limit: 10, isBot: true })).toEqual(['bot9']);
    expect(await names({ limit: 10, isAdmin: true })).toEqual(['ann']);
    expect(await names({ limit: 2, after: 'ann' })).toEqual(['cat', 'dot']);
    expect(await names({ limit: 2, before: 'eve' })).toEqual(['cat', 'dot']);
    expect((await users.list({ limit: 2, after: 'cat' })).total).toBe(4);
  });

  it('users: two admins demoting each other at the same moment cannot both succeed', async () => {
    const users = createUserStore(h.db, engine);
    for (let round = 0; round < 5; round++) {
      await users.insert(user(`a${round}`, `a${round}`, { is_admin: 1 }));
      await users.insert(user(`b${round}`, `b${round}`, { is_admin: 1 }));
      const results = await Promise.all([
        users.changeUnlessLastAdmin(`a${round}`, { is_admin: 0 }),
        users.changeUnlessLastAdmin(`b${round}`, { is_admin: 0 }),
      ]);
      expect([...results].sort()).toEqual(['done', 'last-admin']);
      const survivor = results[0] === 'done' ? `b${round}` : `a${round}`;
      expect((await users.findById(survivor))?.is_admin).toBe(1);
      // Demote the survivor directly, so the next round's pair are again the only two admins.
      await users.update(survivor, { is_admin: 0 });
    }
  });

  it('roles: grants by source are replaced without touching other sources; cascade on delete', async () => {
    const users = createUserStore(h.db);
    const roles = createRoleStore(h.db);
    await users.insert(user('u', 'u'));
    for (const name of ['A', 'B', 'C']) {
      await roles.insert({ id: name, name, display_name: null, description: null, permissions: '[]', is_system: 0, created_at: T0, updated_at: T0 });
    }
    await roles.replaceUserRoles('u', 'manual', ['A'], T0);
    await roles.replaceUserRolesByPrefix('u', 'group:idp:', [{ roleId: 'B', source: 'group:idp:g1' }, { roleId: 'C', source: 'group:idp:g2' }], T0);
    expect((await roles.rolesOfUser('u')).map((r) => `${r.role.name}/${r.source}`)).toEqual(['A/manual', 'B/group:idp:g1', 'C/group:idp:g2']);
    await roles.replaceUserRolesByPrefix('u', 'group:idp:', [{ roleId: 'B', source: 'group:idp:g1' }], T0);
    expect((await roles.rolesOfUser('u')).map((r) => r.role.name)).toEqual(['A', 'B']);
    expect(await roles.countUsersWithRole('A')).toBe(1);
    await roles.delete('A');
    expect((await roles.rolesOfUser('u')).map((r) => r.role.name)).toEqual(['B']);
    await users.delete('u');
    expect(await roles.countUsersWithRole('B')).toBe(0);
  });

  it('roles and bots (migration 007): live by default; a soft-deleted role keeps its grants but they are not read', async () => {
    const users = createUserStore(h.db);
    const roles = createRoleStore(h.db);
    const bots = createBotStore(h.db);
    await users.insert(user('u', 'u'));
    await users.insert(user('b', 'etl-bot', { is_bot: 1 }));
    for (const name of ['A', 'B']) {
      await roles.insert({ id: name, name, display_name: null, description: null, permissions: '[]', is_system: 0, created_at: T0, updated_at: T0 });
    }
    await bots.insert({ id: 'bot', name: 'etl-bot', display_name: null, description: null, bot_user_id: 'b', created_at: T0, updated_at: T0 });
    expect([(await roles.findById('A'))?.deleted, (await bots.find('bot'))?.deleted]).toEqual([0, 0]);
    await roles.replaceUserRoles('u', 'manual', ['A', 'B'], T0);
    expect((await roles.update('A', { deleted: 1 }))?.deleted).toBe(1);
    expect((await roles.rolesOfUser('u')).map((r) => r.role.name)).toEqual(['B']);
    expect([...(await roles.rolesOfUsers(['u'])).get('u') ?? []].map((r) => r.role.name)).toEqual(['B']);
    expect((await roles.list()).map((r) => [r.name, r.deleted])).toEqual([['A', 1], ['B', 0]]);
    await roles.update('A', { deleted: 0 });
    expect((await roles.rolesOfUser('u')).map((r) => r.role.name)).toEqual(['A', 'B']);
    expect((await bots.update('bot', { deleted: 1, version: 0.2 }))?.deleted).toBe(1);
    expect((await bots.list()).map((b) => [b.name, b.deleted, b.version])).toEqual([['etl-bot', 1, 0.2]]);
  });

  it('identities: a pair links once', async () => {
    const users = createUserStore(h.db);
    const ids = createIdentityStore(h.db);
    await users.insert(user('u', 'u'));
    await users.insert(user('v', 'v'));
    const row = { issuer: 'https://idp', subject: 's1', user_id: 'u', email: 'u@example.com', created_at: T0, last_login_at: null };
    expect(await ids.link(row)).toBe(true);
    expect(await ids.link({ ...row, user_id: 'v' })).toBe(false);
    expect((await ids.find('https://idp', 's1'))?.user_id).toBe('u');
    expect(await ids.find('https://other', 's1')).toBeUndefined();
    await ids.touch('https://idp', 's1', T0 + 5, 'new@example.com');
    expect((await ids.listForUser('u'))[0]).toMatchObject({ last_login_at: T0 + 5, email: 'new@example.com' });
  });

  it('login attempts: parallel reservations count at most the limit; refused ones change nothing; an expired lock restarts the count', async () => {
    const attempts = createLoginAttemptStore(h.db);
    const results = await Promise.all(Array.from({ length: 50 }, () => attempts.reserve('alice', T0, 3)));
    const admitted = results.filter((r) => r.admitted);
    expect(admitted.map((r) => r.failures).sort((a, b) => a - b)).toEqual([1, 2, 3]);
    expect(results.filter((r) => !r.admitted).every((r) => r.failures === 3 && r.lockedUntil === null)).toBe(true);
    expect(await attempts.get('alice')).toEqual({ failures: 3, lockedUntil: null });
    expect(await attempts.lock('alice', T0 + 600_000, T0)).toBe(true);
    expect(await attempts.lock('alice', T0 + 1_000, T0)).toBe(false);
    expect((await attempts.get('alice'))?.lockedUntil).toBe(T0 + 600_000);
    expect(await attempts.reserve('alice', T0 + 1, 3)).toEqual({ admitted: false, failures: 3, lockedUntil: T0 + 600_000 });
    expect(await attempts.reserve('alice', T0 + 600_000, 3)).toEqual({ admitted: true, failures: 1, lockedUntil: null });
    await attempts.clear('alice');
    expect(await attempts.get('alice')).toBeUndefined();
  });

  it('login attempts: a released reservation frees its place, never below zero', async () => {
    const attempts = createLoginAttemptStore(h.db);
    expect((await attempts.reserve('bob', T0, 1)).admitted).toBe(true);
    expect((await attempts.reserve('bob', T0, 1)).admitted).toBe(false);
    await attempts.release('bob');
    await attempts.release('bob');
    expect(await attempts.get('bob')).toEqual({ failures: 0, lockedUntil: null });
    expect(await attempts.reserve('bob', T0, 1)).toEqual({ admitted: true, failures: 1, lockedUntil: null });
    await attempts.release('nobody');
    expect(await attempts.get('nobody')).toBeUndefined();
  });

  it('refresh tokens: single use, reuse detected, family revocation', async () => {
    const users = createUserStore(h.db);
    const tokens = createRefreshTokenStore(h.db);
    await users.insert(user('u', 'u'));
    await tokens.insert({ token_hash: 'h1', family_id: 'f', user_id: 'u', created_at: T0, expires_at: T0 + 1000, used_at: null, revoked_at: null });
    await tokens.insert({ token_hash: 'h2', family_id: 'f', user_id: 'u', created_at: T0, expires_at: T0 + 1000, used_at: null, revoked_at: null });
    const [a, b] = await Promise.all([tokens.consume('h1', T0 + 1), tokens.consume('h1', T0 + 1)]);
    expect([a.kind, b.kind].sort()).toEqual(['ok', 'reused']);
    expect((await tokens.consume('nope', T0)).kind).toBe('invalid');
    expect((await tokens.consume('h2', T0 + 1000)).kind).toBe('invalid');
    await tokens.revokeFamily('f', T0 + 2);
    expect((await tokens.consume('h2', T0 + 3)).kind).toBe('invalid');
    expect(await tokens.deleteExpired(T0 + 1000)).toBe(2);
  });

  it('purge: login counters after their last attempt and lock; refresh tokens once their whole family expired', async () => {
    const attempts = createLoginAttemptStore(h.db);
    await attempts.reserve('old-1', T0, 3);
    await attempts.reserve('old-2', T0, 3);
    await attempts.reserve('old-3', T0, 3);
    await attempts.reserve('recent', T0 + 11, 3);
    await attempts.reserve('locked', T0, 3);
    expect(await attempts.lock('locked', T0 + 20, T0)).toBe(true);
    expect(await attempts.purgeExpired(T0 + 10, 2)).toBe(2);
    expect(await attempts.purgeExpired(T0 + 10, 2)).toBe(1);
    expect(await attempts.purgeExpired(T0 + 10, 2)).toBe(0);
    expect((await attempts.get('recent'))?.failures).toBe(1);
    // A lock in force is never purged, however old the attempt that caused it.
    expect((await attempts.get('locked'))?.lockedUntil).toBe(T0 + 20);
    expect(await attempts.purgeExpired(T0 + 20, 10)).toBe(2); // the lock ended; 'recent' is old enough by then
    expect(await attempts.get('locked')).toBeUndefined();

    const users = createUserStore(h.db);
    const tokens = createRefreshTokenStore(h.db);
    await users.insert(user('u', 'u'));
    const token = (hash: string, family: string, expiresAt: number, usedAt: number | null = null) =>
      tokens.insert({ token_hash: hash, family_id: family, user_id: 'u', created_at: T0, expires_at: expiresAt, used_at: usedAt, revoked_at: null });
    await token('gone-1', 'f-gone', T0 + 5, T0 + 1);
    await token('gone-2', 'f-gone', T0 + 10);
    await token('gone-3', 'f-other-gone', T0 + 10);
    await token('used-old', 'f-live', T0 + 5, T0 + 1);
    await token('live', 'f-live', T0 + 11);
    expect(await tokens.purgeExpired(T0 + 10, 2)).toBe(2);
    expect(await tokens.purgeExpired(T0 + 10, 2)).toBe(1);
    expect(await tokens.purgeExpired(T0 + 10, 2)).toBe(0);
    // The used, expired token of a live family stays: presenting it is still seen as reuse.
    expect((await tokens.consume('used-old', T0 + 10)).kind).toBe('reused');
    expect(await tokens.purgeExpired(T0 + 11, 10)).toBe(2);
    expect((await tokens.consume('used-old', T0 + 11)).kind).toBe('invalid');
  });

  it('audit: filters, newest first, paging', async () => {
    const audit = createAuditStore(h.db);
    for (let i = 0; i < 5; i++) {
      await audit.append({
        id: `e${i}`, at: T0 + i, type: i % 2 ? 'auth.login' : 'user.update', outcome: i === 3 ? 'failure' : 'success',
        actor_id: null, actor_name: i < 2 ? 'alice' : 'bob', target_type: null, target_id: null, target_name: null,
        ip: '127.0.0.1', user_agent: null, details: null,
      });
    }
    const all = await audit.list({ limit: 2, offset: 0 });
    expect(all.total).toBe(5);
    expect(all.rows.map((r) => r.id)).toEqual(['e4', 'e3']);
    expect((await audit.list({ type: 'auth.', limit: 10, offset: 0 })).rows.map((r) => r.id)).toEqual(['e3', 'e1']);
    expect((await audit.list({ outcome: 'failure', limit: 10, offset: 0 })).total).toBe(1);
    expect((await audit.list({ actor: 'alice', from: T0 + 1, to: T0 + 5, limit: 10, offset: 0 })).rows.map((r) => r.id)).toEqual(['e1']);
  });
});
