import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createUserStore } from '../../src/storage/index.js';
import { createLogoutTokenReplayStore, createOidcTransactionStore, type OidcTransactionRow } from '../../src/storage/stores/oidc-transaction-store.js';
import { createSessionStore, type SessionRow } from '../../src/storage/stores/session-store.js';
import { ENGINES, freshDatabase } from '../support/databases.js';

type Handle = Awaited<ReturnType<typeof freshDatabase>>;
const T0 = 1_767_225_600_000;

function session(id: string, userId: string, extra: Partial<SessionRow> = {}): SessionRow {
  return {
    id, token_hash: `hash-${id}`, user_id: userId, created_at: T0, last_seen_at: T0, idle_expires_at: T0 + 3_600_000,
    absolute_expires_at: T0 + 86_400_000, provider_id: 'onelogin', provider_issuer: 'https://acme.onelogin.com/oidc/2',
    provider_sid: null, provider_subject: null, id_token_enc: null, refresh_token_enc: null, provider_checked_at: null,
    user_agent: 'ua', ip: '192.0.2.1', ...extra,
  };
}

function tx(idHash: string, clientKey: string, expiresAt: number): OidcTransactionRow {
  return {
    id_hash: idHash, client_key: clientKey, provider_id: 'onelogin', issuer: 'https://acme.onelogin.com/oidc/2', state: 's',
    nonce: 'n', code_verifier: 'v', return_to: '/', created_at: T0, expires_at: expiresAt,
  };
}

describe.each(ENGINES)('session and SSO store contract on %s', (engine) => {
  let h: Handle;
  beforeEach(async () => {
    h = await freshDatabase(engine);
    const users = createUserStore(h.db);
    for (const id of ['u1', 'u2']) {
      await users.insert({
        id, name: id, email: null, display_name: null, is_admin: 0, is_bot: 0, disabled: 0, password_hash: null,
        must_change_password: 0, is_bootstrap: 0, created_at: T0, updated_at: T0,
      });
    }
  });
  afterEach(async () => {
    await h.dispose();
  });

  it('sessions: find, touch at most once per interval, rotate, compare-and-set provider check, tokens', async () => {
    const store = createSessionStore(h.db);
    await store.insert(session('s1', 'u1'));
    expect((await store.findByTokenHash('hash-s1'))?.id).toBe('s1');
    expect(typeof (await store.findById('s1'))?.created_at).toBe('number');
    expect(await store.findByTokenHash('nope')).toBeUndefined();
    expect(await store.touch('hash-s1', { now: T0 + 30_000, idleExpiresAt: T0 + 99, seenBefore: T0 - 30_000 })).toBe(false);
    expect(await store.touch('hash-s1', { now: T0 + 60_000, idleExpiresAt: T0 + 3_660_000, seenBefore: T0 })).toBe(true);
    expect((await store.findById('s1'))?.idle_expires_at).toBe(T0 + 3_660_000);
    expect((await store.replaceTokenHash('hash-s1', 'hash-s1b'))?.id).toBe('s1');
    expect(await store.findByTokenHash('hash-s1')).toBeUndefined();
    expect(await store.replaceTokenHash('hash-s1', 'x')).toBeUndefined();

    expect(await store.claimProviderCheck('s1', null, T0 + 1)).toBe(true);
    expect(await store.claimProviderCheck('s1', null, T0 + 2)).toBe(false);
    expect(await store.claimProviderCheck('s1', T0 + 1, T0 + 3)).toBe(true);
    expect(await store.updateProviderTokens('s1', { refreshTokenEnc: 'box', checkedAt: T0 + 4 })).toBe(true);
    expect(await store.findById('s1')).toMatchObject({ refresh_token_enc: 'box', id_token_enc: null, provider_checked_at: T0 + 4 });
    expect(await store.updateProviderTokens('missing', { refreshTokenEnc: null, checkedAt: 1 })).toBe(false);
  });

  it('sessions: deletes by hash, id (scoped to the owner), user, provider sid and subject', async () => {
    const store = createSessionStore(h.db);
    await store.insert(session('a', 'u1', { provider_sid: 'sid-1', provider_subject: 'sub-1' }));
    await store.insert(session('b', 'u1', { provider_sid: 'sid-2', provider_subject: 'sub-1' }));
    await store.insert(session('c', 'u1'));
    await store.insert(session('d', 'u2', { provider_sid: 'sid-1', provider_issuer: 'https://other.example.com' }));
    expect(await store.deleteById('c', 'u2')).toBeUndefined();
    expect(await store.deleteById('c', 'u1')).toEqual({ id: 'c', user_id: 'u1' });
    expect(await store.deleteByProviderSid('https://acme.onelogin.com/oidc/2', 'sid-1')).toEqual([{ id: 'a', user_id: 'u1' }]);
    expect((await store.findById('d'))?.id).toBe('d');
    expect(await store.deleteByProviderSubject('https://acme.onelogin.com/oidc/2', 'sub-1')).toEqual([{ id: 'b', user_id: 'u1' }]);
    await store.insert(session('e', 'u2'));
    expect((await store.deleteForUser('u2', 'e')).map((r) => r.id)).toEqual(['d']);
    expect((await store.deleteByTokenHash('hash-e'))?.id).toBe('e');
    expect(await store.deleteByTokenHash('hash-e')).toBeUndefined();
  });

  it('sessions: list live ones newest first, evict the oldest beyond a limit, sweep expired', async () => {
    const store = createSessionStore(h.db);
    for (let i = 1; i <= 4; i++) await store.insert(session(`s${i}`, 'u1', { created_at: T0 + i }));
    await store.insert(session('idle', 'u1', { created_at: T0 + 10, idle_expires_at: T0 + 5 }));
    await store.insert(session('old', 'u2', { absolute_expires_at: T0 + 5 }));
    expect((await store.listForUser('u1', T0 + 6)).map((r) => r.id)).toEqual(['s4', 's3', 's2', 's1']);
    expect((await store.evictOldest('u1', 3)).map((r) => r.id).sort()).toEqual(['s1', 's2']);
    expect(await store.deleteExpired(T0 + 6)).toBe(1 + 1);
    expect((await store.listForUser('u1', T0 + 6)).map((r) => r.id)).toEqual(['s4', 's3']);
    await expect(store.insert(session('dup', 'u1', { token_hash: 'hash-s4' }))).rejects.toThrow();
  });

  it('sessions end with their user (foreign key cascade)', async () => {
    const store = createSessionStore(h.db);
    await store.insert(session('s1', 'u1'));
    await createUserStore(h.db).delete('u1');
    expect(await store.findById('s1')).toBeUndefined();
  });

  it('transactions: consumed exactly once, counted per client, swept when expired', async () => {
    const store = createOidcTransactionStore(h.db);
    await store.insert(tx('t1', 'ip-a', T0 + 600_000));
    await store.insert(tx('t2', 'ip-a', T0 + 600_000));
    await store.insert(tx('t3', 'ip-b', T0 + 1));
    expect(await store.countLiveForClient('ip-a', T0)).toBe(2);
    expect(await store.countLive(T0 + 1)).toBe(2);
    const [first, second] = await Promise.all([store.consume('t1'), store.consume('t1')]);
    expect([first?.state, second?.state].filter(Boolean)).toEqual(['s']);
    expect(await store.consume('t1')).toBeUndefined();
    expect(typeof (await store.consume('t2'))?.expires_at).toBe('number');
    expect(await store.deleteExpired(T0 + 1)).toBe(1);
    expect(await store.countLive(0)).toBe(0);
  });

  it('logout-token jtis: accepted once while remembered, again after expiry, swept', async () => {
    const store = createLogoutTokenReplayStore(h.db);
    expect(await store.remember('iss', 'j1', T0 + 1000, T0)).toBe(true);
    expect(await store.remember('iss', 'j1', T0 + 2000, T0 + 10)).toBe(false);
    expect(await store.remember('other-iss', 'j1', T0 + 1000, T0)).toBe(true);
    expect(await store.remember('iss', 'j1', T0 + 5000, T0 + 1000)).toBe(true);
    expect(await store.deleteExpired(T0 + 1000)).toBe(1);
    expect(await store.deleteExpired(T0 + 5000)).toBe(1);
  });

  it('purge: sessions (idle or absolute), transactions and logout-token jtis expired at the cut-off, in bounded batches', async () => {
    const sessions = createSessionStore(h.db);
    await sessions.insert(session('idle', 'u1', { idle_expires_at: T0 + 5 }));
    await sessions.insert(session('absolute', 'u1', { absolute_expires_at: T0 + 5 }));
    await sessions.insert(session('at-cutoff', 'u2', { idle_expires_at: T0 + 10 }));
    await sessions.insert(session('live', 'u2', { idle_expires_at: T0 + 11 }));
    expect(await sessions.purgeExpired(T0 + 10, 2)).toBe(2);
    expect(await sessions.purgeExpired(T0 + 10, 2)).toBe(1);
    expect(await sessions.purgeExpired(T0 + 10, 2)).toBe(0);
    expect((await sessions.findById('live'))?.id).toBe('live');

    const transactions = createOidcTransactionStore(h.db);
    for (const id of ['t1', 't2', 't3']) await transactions.insert(tx(id, 'ip-a', T0 + 10));
    await transactions.insert(tx('live', 'ip-a', T0 + 11));
    expect(await transactions.purgeExpired(T0 + 10, 2)).toBe(2);
    expect(await transactions.purgeExpired(T0 + 10, 2)).toBe(1);
    expect(await transactions.countLive(0)).toBe(1);

    const jtis = createLogoutTokenReplayStore(h.db);
    for (const jti of ['j1', 'j2', 'j3']) expect(await jtis.remember('iss', jti, T0 + 10, T0)).toBe(true);
    expect(await jtis.remember('other-iss', 'j1', T0 + 11, T0)).toBe(true);
    expect(await jtis.purgeExpired(T0 + 10, 2)).toBe(2);
    expect(await jtis.purgeExpired(T0 + 10, 2)).toBe(1);
    expect(await jtis.purgeExpired(T0 + 10, 2)).toBe(0);
    // The live jti of the other issuer is still remembered: its replay is refused.
    expect(await jtis.remember('other-iss', 'j1', T0 + 20, T0 + 10)).toBe(false);
  });
});
