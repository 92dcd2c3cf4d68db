import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { frozenClock } from '../../src/shared/index.js';
import { createCachedSessionStore, createSessionService, type CachedSessionStore, type SessionPolicy } from '../../src/sessions/index.js';
import { createLocalChangeFeed, createUserStore, type SessionStore } from '../../src/storage/index.js';
import { createSessionStore } from '../../src/storage/stores/session-store.js';
import { freshDatabase } from '../support/databases.js';

type Handle = Awaited<ReturnType<typeof freshDatabase>>;
const client = { userAgent: 'Firefox', ip: '192.0.2.7' };
const POLICY: SessionPolicy = { absoluteSeconds: 24 * 3600, idleSeconds: 60, maxPerUser: 0, touchIntervalSeconds: 10 };

/**
 * Two "instances" over one database, each with its own cache, hearing each other through one change feed (what
 * PostgreSQL LISTEN/NOTIFY gives separate processes). Reads of the database are counted per instance.
 */
describe('the session row cache', () => {
  let h: Handle;
  let clock: ReturnType<typeof frozenClock>;
  const key = randomBytes(32);

  function instance(options: { ttlMs?: number; deaf?: boolean } = {}) {
    const base = createSessionStore(h.db);
    const reads = { count: 0 };
    const counted: SessionStore = { ...base, findByTokenHash: (hash) => (reads.count++, base.findByTokenHash(hash)) };
    const feed = options.deaf ? createLocalChangeFeed() : sharedFeed;
    const rows: CachedSessionStore = createCachedSessionStore(counted, { clock, publishChanged: (id) => feed.publish({ kind: 'session', id }), ...(options.ttlMs ? { ttlMs: options.ttlMs } : {}) });
    feed.subscribe((event) => {
      if (event.kind === 'session') rows.invalidateSession(event.id);
      if (event.kind === 'user') rows.invalidateUser(event.id);
    });
    return { reads, rows, sessions: createSessionService({ store: rows, clock, encryptionKey: key, policy: POLICY }) };
  }
  let sharedFeed: ReturnType<typeof createLocalChangeFeed>;

  beforeEach(async () => {
    h = await freshDatabase('sqlite');
    clock = frozenClock();
    sharedFeed = createLocalChangeFeed();
    const users = createUserStore(h.db);
    for (const id of ['u1', 'u2']) {
      await users.insert({
        id, name: id, email: null, display_name: null, is_admin: 0, is_bot: 0, disabled: 0, password_hash: null,
        must_change_password: 0, is_bootstrap: 0, created_at: 0, updated_at: 0,
      });
    }
  });
  afterEach(async () => {
    await h.dispose();
  });

  it('reads a session once, reuses it a few seconds, then reads it again', async () => {
    const a = instance();
    const { secret } = await a.sessions.createSession({ userId: 'u1', ...client });
    for (let i = 0; i < 5; i++) expect((await a.sessions.validateSession(secret))?.userId).toBe('u1');
    expect(a.reads.count).toBe(1);
    clock.advance(5_001);
    expect(await a.sessions.validateSession(secret)).toBeDefined();
    expect(a.reads.count).toBe(2);
  });

  it('a logout, a revocation or a back-channel logout on one instance holds on the next request of the other, which had it cached', async () => {
    const [a, b] = [instance(), instance()];
    const one = await a.sessions.createSession({ userId: 'u1', ...client });
    const two = await a.sessions.createSession({ userId: 'u1', ...client });
    const three = await a.sessions.createSession({ userId: 'u2', ...client, provider: { providerId: 'p', issuer: 'https://idp', sid: 'sid-3', subject: 's', idToken: null, refreshToken: null } });
    for (const s of [one, two, three]) expect(await a.sessions.validateSession(s.secret)).toBeDefined();
    const readsBefore = a.reads.count;

    await b.sessions.endSession(one.secret);
    expect(await a.sessions.validateSession(one.secret)).toBeUndefined();
    expect(await a.sessions.validateSession(two.secret)).toBeDefined();
    await b.sessions.revokeAllForUser('u1');
    expect(await a.sessions.validateSession(two.secret)).toBeUndefined();
    expect(await a.sessions.validateSession(three.secret)).toBeDefined();
    await b.sessions.revokeByProviderSid('https://idp', 'sid-3');
    expect(await a.sessions.validateSession(three.secret)).toBeUndefined();
    expect(a.reads.count).toBe(readsBefore + 3);
  });

  it('without the change feed the other instance would have kept the ended session (the events are what makes it exact)', async () => {
    const a = instance({ deaf: true });
    const b = instance();
    const { secret } = await a.sessions.createSession({ userId: 'u1', ...client });
    expect(await a.sessions.validateSession(secret)).toBeDefined();
    await b.sessions.endSession(secret);
    expect(await a.sessions.validateSession(secret)).toBeDefined();
    clock.advance(5_001);
    expect(await a.sessions.validateSession(secret)).toBeUndefined();
  });

  it('drops every cached session of a user on a user event (deactivation) and after a rotation', async () => {
    const a = instance();
    const { secret } = await a.sessions.createSession({ userId: 'u1', ...client });
    expect(await a.sessions.validateSession(secret)).toBeDefined();
    a.rows.invalidateUser('u1');
    expect(await a.sessions.validateSession(secret)).toBeDefined();
    expect(a.reads.count).toBe(2);
    const rotated = await instance().sessions.rotateSession(secret);
    expect(await a.sessions.validateSession(secret)).toBeUndefined();
    expect(await a.sessions.validateSession(rotated?.secret ?? '')).toBeDefined();
  });

  it('does not cache a row read while the session was being ended', async () => {
    const inner = createSessionStore(h.db);
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow: SessionStore = { ...inner, findByTokenHash: async (hash) => {
      const row = await inner.findByTokenHash(hash);
      await gate;
      return row;
    } };
    const rows = createCachedSessionStore(slow, { clock, publishChanged: () => {} });
    const sessions = createSessionService({ store: rows, clock, encryptionKey: key, policy: POLICY });
    const { secret, session } = await sessions.createSession({ userId: 'u1', ...client });
    const reading = sessions.validateSession(secret);
    // Ended elsewhere after the read, before it returns: the stale row may answer this one request, never the next.
    await inner.deleteById(session.id);
    rows.invalidateSession(session.id);
    release();
    expect(await reading).toBeDefined();
    expect(await sessions.validateSession(secret)).toBeUndefined();
  });

  it('reads again rather than end a session whose cached idle expiry passed while another instance slid it', async () => {
    const a = instance({ ttlMs: 120_000 });
    const b = instance();
    const { secret } = await a.sessions.createSession({ userId: 'u1', ...client });
    clock.advance(52_000);
    expect(await a.sessions.validateSession(secret)).toBeDefined(); // touched by A: idle until 112 s, cached
    clock.advance(11_000);
    expect(await b.sessions.validateSession(secret)).toBeDefined(); // touched by B at 63 s: idle until 123 s
    clock.advance(50_000); // 113 s: A's cached row says idle-expired, the database says live
    expect(await a.sessions.validateSession(secret)).toBeDefined();
    expect(await b.sessions.validateSession(secret)).toBeDefined();
  });
});
