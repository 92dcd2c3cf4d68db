import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { frozenClock } from '../../src/shared/index.js';
import { createSessionService, type SessionPolicy, type SessionService } from '../../src/sessions/index.js';
import { createUserStore } from '../../src/storage/index.js';
import { createSessionStore } from '../../src/storage/stores/session-store.js';
import { ENGINES, freshDatabase } from '../support/databases.js';

type Handle = Awaited<ReturnType<typeof freshDatabase>>;
const HOUR = 3_600_000;
const client = { userAgent: 'Firefox', ip: '192.0.2.7' };

describe.each(ENGINES)('sessions with frozen time on %s', (engine) => {
  let h: Handle;
  let clock: ReturnType<typeof frozenClock>;
  const key = randomBytes(32);
  const make = (policy: Partial<SessionPolicy> = {}): SessionService =>
    createSessionService({
      store: createSessionStore(h.db), clock, encryptionKey: key,
      policy: { absoluteSeconds: 24 * 3600, idleSeconds: 8 * 3600, maxPerUser: 0, ...policy },
    });

  beforeEach(async () => {
    h = await freshDatabase(engine);
    clock = frozenClock();
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

  it('a new random id every time, stored only as a hash', async () => {
    const sessions = make();
    const a = await sessions.createSession({ userId: 'u1', ...client });
    const b = await sessions.createSession({ userId: 'u1', ...client });
    expect(a.secret).not.toBe(b.secret);
    expect(Buffer.from(a.secret, 'base64url')).toHaveLength(32);
    const rows = await h.db.selectFrom('sessions').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(a.secret);
    expect((await sessions.validateSession(a.secret))?.id).toBe(a.session.id);
    expect(await sessions.validateSession('forged')).toBeUndefined();
    expect(await sessions.validateSession('')).toBeUndefined();
    expect(a.maxAgeSeconds).toBe(24 * 3600);
  });

  it('idle expiry slides with use (one write per minute), absolute expiry does not', async () => {
    const sessions = make();
    const { secret } = await sessions.createSession({ userId: 'u1', ...client });
    clock.advance(7 * HOUR);
    const used = await sessions.validateSession(secret);
    expect(used?.lastSeenAt).toBe(clock.now());
    expect(used?.idleExpiresAt).toBe(clock.now() + 8 * HOUR);
    clock.advance(30_000);
    expect((await sessions.validateSession(secret))?.lastSeenAt).toBe(clock.now() - 30_000);
    for (let i = 0; i < 2; i++) {
      clock.advance(7 * HOUR);
      expect(await sessions.validateSession(secret)).toBeDefined();
    }
    // 28 hours after sign-in: past the 24-hour absolute lifetime even though it was used every 7 hours.
    clock.advance(7 * HOUR);
    expect(await sessions.validateSession(secret)).toBeUndefined();
    expect(await h.db.selectFrom('sessions').select('id').execute()).toEqual([]);
  });

  it('an unused session ends after the idle timeout', async () => {
    const sessions = make();
    const { secret } = await sessions.createSession({ userId: 'u1', ...client });
    clock.advance(8 * HOUR - 1);
    expect(await sessions.validateSession(secret)).toBeDefined();
    clock.advance(8 * HOUR);
    expect(await sessions.validateSession(secret)).toBeUndefined();
  });

  it('idle expiry never goes past the absolute expiry', async () => {
    const sessions = make({ absoluteSeconds: 3600, idleSeconds: 8 * 3600 });
    const { secret, session } = await sessions.createSession({ userId: 'u1', ...client });
    expect(session.idleExpiresAt).toBe(session.absoluteExpiresAt);
    clock.advance(HOUR);
    expect(await sessions.validateSession(secret)).toBeUndefined();
  });

  it('refuses a lifetime below one hour', () => {
    expect(() => make({ absoluteSeconds: 3599 })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });

  it('rotate gives a new secret and kills the old one', async () => {
    const sessions = make();
    const { secret } = await sessions.createSession({ userId: 'u1', ...client });
    const rotated = await sessions.rotateSession(secret);
    expect(rotated?.secret).toBeDefined();
    expect(await sessions.validateSession(secret)).toBeUndefined();
    expect((await sessions.validateSession(rotated?.secret ?? ''))?.userId).toBe('u1');
  });

  it('revoke one, all but the current, by provider sid and by subject; users only end their own', async () => {
    const sessions = make();
    const provider = (sid: string) => ({ providerId: 'onelogin', issuer: 'https://acme.onelogin.com/oidc/2', subject: 'sub-1', sid, idToken: 'id.token.x', refreshToken: 'rt-1' });
    const a = await sessions.createSession({ userId: 'u1', ...client, provider: provider('sid-a') });
    const b = await sessions.createSession({ userId: 'u1', ...client, provider: provider('sid-b') });
    const c = await sessions.createSession({ userId: 'u1', ...client });
    const other = await sessions.createSession({ userId: 'u2', ...client });
    expect(await sessions.revokeSession(other.session.id, 'u1')).toBe(false);
    expect((await sessions.listForUser('u1')).map((s) => s.id).sort()).toEqual([a.session.id, b.session.id, c.session.id].sort());
    expect(await sessions.revokeByProviderSid('https://acme.onelogin.com/oidc/2', 'sid-a')).toHaveLength(1);
    expect(await sessions.validateSession(a.secret)).toBeUndefined();
    expect(await sessions.revokeAllForUser('u1', c.session.id)).toBe(1);
    expect(await sessions.validateSession(b.secret)).toBeUndefined();
    expect(await sessions.validateSession(c.secret)).toBeDefined();
    expect(await sessions.revokeSession(c.session.id, 'u1')).toBe(true);
    const d = await sessions.createSession({ userId: 'u2', ...client, provider: provider('sid-d') });
    expect(await sessions.revokeByProviderSubject('https://acme.onelogin.com/oidc/2', 'sub-1')).toHaveLength(1);
    expect(await sessions.validateSession(d.secret)).toBeUndefined();
    expect(await sessions.validateSession(other.secret)).toBeDefined();
  });

  it('keeps provider tokens encrypted and returns them; endSession gives the ID token for the logout hint', async () => {
    const sessions = make();
    const created = await sessions.createSession({
      userId: 'u1', ...client,
      provider: { providerId: 'onelogin', issuer: 'https://acme.onelogin.com/oidc/2', subject: 's', sid: null, idToken: 'the-id-token', refreshToken: 'the-refresh-token' },
    });
    const raw = JSON.stringify(await h.db.selectFrom('sessions').selectAll().execute());
    expect(raw).not.toContain('the-refresh-token');
    expect(raw).not.toContain('the-id-token');
    expect(await sessions.providerTokens(created.session.id)).toEqual({ idToken: 'the-id-token', refreshToken: 'the-refresh-token' });
    await sessions.recordProviderRefresh(created.session.id, { refreshToken: 'rotated' });
    expect((await sessions.providerTokens(created.session.id))?.refreshToken).toBe('rotated');
    const ended = await sessions.endSession(created.secret);
    expect(ended?.idToken).toBe('the-id-token');
    expect(await sessions.endSession(created.secret)).toBeUndefined();
  });

  it('a maximum number of sessions per user ends the oldest', async () => {
    const sessions = make({ maxPerUser: 2 });
    const first = await sessions.createSession({ userId: 'u1', ...client });
    clock.advance(1000);
    const second = await sessions.createSession({ userId: 'u1', ...client });
    clock.advance(1000);
    const third = await sessions.createSession({ userId: 'u1', ...client });
    expect(await sessions.validateSession(first.secret)).toBeUndefined();
    expect(await sessions.validateSession(second.secret)).toBeDefined();
    expect(await sessions.validateSession(third.secret)).toBeDefined();
  });

  it('sweep deletes expired rows', async () => {
    const sessions = make();
    await sessions.createSession({ userId: 'u1', ...client });
    clock.advance(8 * HOUR);
    await sessions.createSession({ userId: 'u2', ...client });
    expect(await sessions.sweep()).toBe(1);
    expect(await h.db.selectFrom('sessions').select('user_id').execute()).toEqual([{ user_id: 'u2' }]);
  });
});
