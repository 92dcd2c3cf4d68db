import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createApiTokenStore, createBotStore, createEndedSignInStore, createRefreshTokenStore, createSigningKeyStore, createUserStore, type ApiTokenRow, type SigningKeyRow,
} from '../../src/storage/index.js';
import { ENGINES, freshDatabase } from '../support/databases.js';
import { insertUser, T0 } from './support.js';

type Handle = Awaited<ReturnType<typeof freshDatabase>>;

const key = (kid: string, over: Partial<SigningKeyRow> = {}): SigningKeyRow => ({
  kid, status: 'retiring', source: 'generated', public_jwk: '{"kty":"RSA"}', private_key_enc: null, bits: 2048, created_at: T0,
  activated_at: null, retiring_since: T0, retired_at: null, last_token_expires_at: null, ...over,
});
const token = (id: string, userId: string, over: Partial<ApiTokenRow> = {}): ApiTokenRow => ({
  id, user_id: userId, kind: 'PERSONAL_ACCESS', name: id, token_hash: `hash-${id}`, scopes: null, expires_at: T0 + 1000, created_at: T0,
  last_used_at: null, revoked_at: null, ...over,
});

describe.each(ENGINES)('key, token and bot store contract on %s', (engine) => {
  let h: Handle;
  beforeEach(async () => {
    h = await freshDatabase(engine);
  });
  afterEach(async () => {
    await h.dispose();
  });

  it('signing keys: one active at a time, retire only retiring keys, unknown kid changes nothing', async () => {
    const keys = createSigningKeyStore(h.db);
    await keys.insert(key('a'));
    await keys.insert(key('b', { created_at: T0 + 1 }));
    expect(await keys.activate('a', T0 + 10)).toBe(true);
    expect(await keys.activate('b', T0 + 20)).toBe(true);
    const [b, a] = await keys.list();
    expect([b?.kid, b?.status, b?.activated_at, b?.retiring_since]).toEqual(['b', 'active', T0 + 20, null]);
    expect([a?.kid, a?.status, a?.retiring_since]).toEqual(['a', 'retiring', T0 + 20]);
    expect(await keys.activate('nope', T0 + 30)).toBe(false);
    expect((await keys.find('b'))?.status).toBe('active');
    expect(await keys.retire('b', T0 + 40)).toBe(false);
    expect(await keys.retire('a', T0 + 40)).toBe(true);
    expect(await keys.find('a')).toMatchObject({ status: 'retired', retired_at: T0 + 40 });
    expect(await keys.find('zzz')).toBeUndefined();
  });

  it('signing keys: concurrent activations still leave exactly one active key', async () => {
    const keys = createSigningKeyStore(h.db, engine);
    await keys.insert(key('k0'));
    await keys.activate('k0', T0);
    for (let round = 0; round < 3; round += 1) {
      const kids = Array.from({ length: 8 }, (_, i) => `r${round}-${i}`);
      for (const kid of kids) await keys.insert(key(kid));
      await Promise.all(kids.map((kid, i) => keys.activate(kid, T0 + i + 1)));
      expect((await keys.list()).filter((k) => k.status === 'active'), `round ${round}`).toHaveLength(1);
    }
  });

  it('signing keys: the last-token mark only grows, Unlimited (-1) sticks, and a retired key refuses to sign', async () => {
    const keys = createSigningKeyStore(h.db);
    await keys.insert(key('a'));
    expect(await keys.noteTokenExpiry('a', T0 + 5000)).toBe(true);
    await keys.noteTokenExpiry('a', T0 + 1000);
    expect((await keys.find('a'))?.last_token_expires_at).toBe(T0 + 5000);
    await keys.noteTokenExpiry('a', null);
    await keys.noteTokenExpiry('a', T0 + 9_999_999);
    expect((await keys.find('a'))?.last_token_expires_at).toBe(-1);
    await keys.retire('a', T0);
    expect(await keys.noteTokenExpiry('a', T0 + 1)).toBe(false);
    expect(await keys.noteTokenExpiry('missing', T0 + 1)).toBe(false);
  });

  it('tokens: insert, find, list by user and kind (newest first), hashes unique', async () => {
    const ann = await insertUser(h, 'ann');
    const tokens = createApiTokenStore(h.db);
    await tokens.insert(token('t1', ann.id, { scopes: '["entity:view"]' }));
    await tokens.insert(token('t2', ann.id, { created_at: T0 + 1, expires_at: null }));
    await tokens.insert(token('b1', ann.id, { kind: 'BOT' }));
    expect(await tokens.find('t1')).toMatchObject({ token_hash: 'hash-t1', scopes: '["entity:view"]', expires_at: T0 + 1000 });
    expect((await tokens.find('t2'))?.expires_at).toBeNull();
    expect((await tokens.listForUser(ann.id, 'PERSONAL_ACCESS')).map((t) => t.id)).toEqual(['t2', 't1']);
    expect(await tokens.find('nope')).toBeUndefined();
    await expect(tokens.insert(token('t3', ann.id, { token_hash: 'hash-t1' }))).rejects.toThrow();
  });

  it('tokens: find through the handle\'s prepared reader gives the very rows kysely gives', async () => {
    const ann = await insertUser(h, 'ann');
    const viaKysely = createApiTokenStore(h.db);
    const prepared = createApiTokenStore(h.db, h.rows);
    await prepared.insert(token('t1', ann.id, { scopes: '["entity:view"]', last_used_at: T0 + 5 }));
    await prepared.insert(token('t2', ann.id, { expires_at: null, kind: 'BOT', name: null }));
    for (const id of ['t1', 't2', 'nope']) expect(await prepared.find(id)).toStrictEqual(await viaKysely.find(id));
    expect(await prepared.find('t1')).toStrictEqual(token('t1', ann.id, { scopes: '["entity:view"]', last_used_at: T0 + 5 }));
    expect(await prepared.find('nope')).toBeUndefined();
    // A revocation shows at once (nothing kept between reads), and so does the second use of the named statement.
    await prepared.revoke(['t1'], null, T0 + 7);
    expect((await prepared.find('t1'))?.revoked_at).toBe(T0 + 7);
  });

  it('tokens: a prepared find while a transaction is open sees only committed rows', async () => {
    const ann = await insertUser(h, 'ann');
    const tokens = createApiTokenStore(h.db, h.rows);
    await tokens.insert(token('b0', ann.id, { kind: 'BOT' }));
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let inside: () => void = () => {};
    const entered = new Promise<void>((resolve) => (inside = resolve));
    const transaction = h.db.transaction().execute(async (trx) => {
      await trx.updateTable('api_tokens').set({ revoked_at: T0 + 9 }).where('id', '=', 'b0').execute();
      inside();
      await held;
    });
    await entered;
    const during = tokens.find('b0');
    if (engine === 'postgres') {
      // Another pooled connection, read committed: the uncommitted revocation is not seen, and nothing waits for it.
      expect((await during)?.revoked_at).toBeNull();
    } else {
      // The one SQLite connection is inside the transaction: the read waits for the commit instead of reading through it.
      const raced = await Promise.race([during.then((row) => row?.revoked_at ?? null), new Promise<'waiting'>((resolve) => setTimeout(() => resolve('waiting'), 50))]);
      expect(raced).toBe('waiting');
    }
    release();
    await transaction;
    if (engine === 'sqlite') expect((await during)?.revoked_at).toBe(T0 + 9);
    expect((await tokens.find('b0'))?.revoked_at).toBe(T0 + 9);
  });

  it('tokens: revoke only live tokens and only the given user\'s; revoke all of a kind; touch', async () => {
    const ann = await insertUser(h, 'ann');
    const bob = await insertUser(h, 'bob');
    const tokens = createApiTokenStore(h.db);
    for (const id of ['a1', 'a2', 'a3']) await tokens.insert(token(id, ann.id));
    await tokens.insert(token('b1', bob.id));
    expect(await tokens.revoke(['a1', 'b1'], ann.id, T0 + 1)).toEqual(['a1']);
    expect(await tokens.revoke(['a1'], null, T0 + 2)).toEqual([]);
    expect((await tokens.find('a1'))?.revoked_at).toBe(T0 + 1);
    expect((await tokens.find('b1'))?.revoked_at).toBeNull();
    expect(await tokens.revoke([], null, T0)).toEqual([]);
    expect((await tokens.revokeAllOfKind(ann.id, 'PERSONAL_ACCESS', T0 + 3)).sort()).toEqual(['a2', 'a3']);
    await tokens.touchMany([{ id: 'b1', at: T0 + 99 }, { id: 'a2', at: T0 + 98 }, { id: 'gone', at: T0 }]);
    expect((await tokens.find('b1'))?.last_used_at).toBe(T0 + 99);
    expect((await tokens.find('a2'))?.last_used_at).toBe(T0 + 98);
    expect((await tokens.find('a3'))?.last_used_at).toBeNull();
    await tokens.touchMany([]);
  });

  it('tokens: touchMany writes a burst of 12,000 uses (more than one statement may carry) and every slice lands', async () => {
    const ann = await insertUser(h, 'ann');
    const tokens = createApiTokenStore(h.db, h.rows);
    await tokens.insert(token('first', ann.id));
    await tokens.insert(token('last', ann.id));
    const uses = Array.from({ length: 12_000 }, (_, i) => ({ id: `gone-${i}`, at: T0 + i }));
    uses[0] = { id: 'first', at: T0 + 1 };
    uses[11_999] = { id: 'last', at: T0 + 2 };
    await tokens.touchMany(uses);
    expect([(await tokens.find('first'))?.last_used_at, (await tokens.find('last'))?.last_used_at]).toEqual([T0 + 1, T0 + 2]);
  });

  it('tokens: purge deletes expired records (revoked or not) in bounded batches; unexpired and unlimited ones stay', async () => {
    const ann = await insertUser(h, 'ann');
    const tokens = createApiTokenStore(h.db);
    await tokens.insert(token('old-1', ann.id, { expires_at: T0 + 5 }));
    await tokens.insert(token('old-2', ann.id, { expires_at: T0 + 10 }));
    await tokens.insert(token('old-revoked', ann.id, { expires_at: T0 + 10, revoked_at: T0 + 1 }));
    await tokens.insert(token('live-revoked', ann.id, { expires_at: T0 + 11, revoked_at: T0 + 1 }));
    await tokens.insert(token('unlimited-revoked', ann.id, { expires_at: null, revoked_at: T0 + 1 }));
    expect(await tokens.purgeExpired(T0 + 10, 2)).toBe(2);
    expect(await tokens.purgeExpired(T0 + 10, 2)).toBe(1);
    expect(await tokens.purgeExpired(T0 + 10, 2)).toBe(0);
    // Only the record refuses a revoked token that has not expired: it must stay.
    expect((await tokens.listForUser(ann.id, 'PERSONAL_ACCESS')).map((t) => t.id).sort()).toEqual(['live-revoked', 'unlimited-revoked']);
    expect(await tokens.purgeExpired(Number.MAX_SAFE_INTEGER, 10)).toBe(1);
    expect((await tokens.find('unlimited-revoked'))?.revoked_at).toBe(T0 + 1);
  });

  it('tokens: a bot has one current token, even when new ones are generated concurrently', async () => {
    const bot = await insertUser(h, 'etl-bot', { isBot: true });
    const tokens = createApiTokenStore(h.db);
    expect(await tokens.replaceBotToken(token('first', bot.id, { kind: 'BOT' }), T0)).toEqual([]);
    expect(await tokens.replaceBotToken(token('second', bot.id, { kind: 'BOT' }), T0 + 1)).toEqual(['first']);
    for (let round = 0; round < 3; round += 1) {
      await Promise.all(Array.from({ length: 8 }, (_, i) => tokens.replaceBotToken(token(`c${round}-${i}`, bot.id, { kind: 'BOT' }), T0 + 10)));
      const live = (await tokens.listForUser(bot.id, 'BOT')).filter((t) => t.revoked_at === null);
      expect(live, `round ${round}`).toHaveLength(1);
    }
    await expect(tokens.replaceBotToken(token('pat', bot.id), T0)).rejects.toThrow(/BOT tokens only/);
  });

  it('ended sign-ins: recorded once (the later expiry wins), looked up by id, purged in bounded batches after expiry', async () => {
    const ended = createEndedSignInStore(h.db);
    await ended.end(['s1', 's2', 's3'], 'u1', T0, T0 + 1000);
    await ended.end(['s1'], 'u1', T0 + 500, T0 + 5000);
    await ended.end(['s2'], 'u1', T0 + 500, T0 + 10);
    await ended.end([], 'u1', T0, T0);
    expect(await Promise.all(['s1', 's2', 's3', 'nope'].map((id) => ended.isEnded(id)))).toEqual([true, true, true, false]);
    expect(await ended.purgeExpired(T0 + 999, 10)).toBe(0);
    expect(await ended.purgeExpired(T0 + 1000, 1)).toBe(1);
    expect(await ended.purgeExpired(T0 + 1000, 10)).toBe(1);
    expect([await ended.isEnded('s1'), await ended.isEnded('s2'), await ended.isEnded('s3')]).toEqual([true, false, false]);
    expect(await ended.purgeExpired(T0 + 5000, 10)).toBe(1);
    expect(await ended.isEnded('s1')).toBe(false);
  });

  it('refresh tokens: revoking all of a user\'s returns each live sign-in (family) once', async () => {
    const user = await insertUser(h, 'ann');
    const other = await insertUser(h, 'bob');
    const refresh = createRefreshTokenStore(h.db);
    const row = (hash: string, family: string, userId: string) => ({ token_hash: hash, family_id: family, user_id: userId, created_at: T0, expires_at: T0 + 1000, used_at: null, revoked_at: null });
    await refresh.insert(row('h1', 'f1', user.id));
    await refresh.insert(row('h2', 'f1', user.id));
    await refresh.insert(row('h3', 'f2', user.id));
    await refresh.insert(row('h4', 'f3', user.id));
    await refresh.insert(row('h5', 'f4', other.id));
    await refresh.revokeFamily('f3', T0);
    expect((await refresh.revokeAllForUser(user.id, T0 + 1)).sort()).toEqual(['f1', 'f2']);
    expect(await refresh.revokeAllForUser(user.id, T0 + 2)).toEqual([]);
    expect((await refresh.consume('h5', T0 + 3)).kind).toBe('ok');
  });

  it('tokens and bots die with their user (cascade)', async () => {
    const botUser = await insertUser(h, 'etl-bot', { isBot: true });
    const tokens = createApiTokenStore(h.db);
    const bots = createBotStore(h.db);
    await tokens.replaceBotToken(token('t', botUser.id, { kind: 'BOT' }), T0);
    await bots.insert({ id: 'b1', name: 'etl-bot', display_name: 'ETL', description: null, bot_user_id: botUser.id, created_at: T0, updated_at: T0 });
    await createUserStore(h.db).delete(botUser.id);
    expect(await tokens.find('t')).toBeUndefined();
    expect(await bots.find('b1')).toBeUndefined();
  });

  it('bots: insert, list by name, find by id or name or bot user, update, unique names', async () => {
    const u1 = await insertUser(h, 'zeta-bot', { isBot: true });
    const u2 = await insertUser(h, 'alpha-bot', { isBot: true });
    const bots = createBotStore(h.db);
    await bots.insert({ id: 'b1', name: 'zeta-bot', display_name: null, description: 'z', bot_user_id: u1.id, created_at: T0, updated_at: T0 });
    await bots.insert({ id: 'b2', name: 'alpha-bot', display_name: null, description: null, bot_user_id: u2.id, created_at: T0, updated_at: T0 });
    expect((await bots.list()).map((b) => b.name)).toEqual(['alpha-bot', 'zeta-bot']);
    expect((await bots.find('zeta-bot'))?.id).toBe('b1');
    expect((await bots.find('b2'))?.name).toBe('alpha-bot');
    expect((await bots.findByUserId(u1.id))?.id).toBe('b1');
    expect(await bots.find('nope')).toBeUndefined();
    expect(await bots.update('b1', { description: 'loads', updated_at: T0 + 5 })).toMatchObject({ description: 'loads', updated_at: T0 + 5, display_name: null });
    await expect(bots.insert({ id: 'b3', name: 'zeta-bot', display_name: null, description: null, bot_user_id: u2.id, created_at: T0, updated_at: T0 })).rejects.toThrow();
  });
});
