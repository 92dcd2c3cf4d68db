import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EXPIRY_SWEEP_INTERVAL_MS } from '../../src/compose.js';
import type { Database } from '../../src/storage/index.js';
import { ENGINES } from '../support/databases.js';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/test-app.js';

const DAY = 86_400_000;
const TABLES = ['sessions', 'oidc_transactions', 'logout_token_jtis', 'refresh_tokens', 'api_tokens', 'login_attempts', 'ended_sign_ins'] as const;
type Table = (typeof TABLES)[number] & keyof Database;

async function counts(t: TestApp): Promise<Record<Table, number>> {
  const result = {} as Record<Table, number>;
  for (const table of TABLES) {
    const row = await t.handle.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    result[table] = Number(row.n);
  }
  return result;
}

/**
 * Fires the interval callbacks createGatehouse registered with the sweep's period (as the minutes passing would), again
 * every half second, until the row counts are as expected or 15 s passed; returns the last counts.
 */
async function sweepUntil(t: TestApp, ticks: (() => void)[], expected: Record<Table, number>): Promise<Record<Table, number>> {
  const started = Date.now();
  let seen: Record<Table, number>;
  do {
    for (const tick of ticks) tick();
    await new Promise((r) => setTimeout(r, 500));
    seen = await counts(t);
  } while (JSON.stringify(seen) !== JSON.stringify(expected) && Date.now() - started < 15_000);
  return seen;
}

describe.each(ENGINES)('the expiry sweep on %s', (engine) => {
  let t: TestApp;
  let ticks: (() => void)[];
  let timers: NodeJS.Timeout[];
  beforeEach(async () => {
    // The real timers run; the test captures the callbacks of the ones with the sweep's period (the 60 s key reload
    // shares it, harmlessly) to fire them now, while the frozen clock decides what has expired.
    const spy = vi.spyOn(globalThis, 'setInterval');
    t = await startTestApp({}, { engine });
    const scheduled = spy.mock.calls.map((call, i) => ({ call, timer: spy.mock.results[i]?.value as NodeJS.Timeout }))
      .filter(({ call }) => call[1] === EXPIRY_SWEEP_INTERVAL_MS);
    spy.mockRestore();
    ticks = scheduled.map(({ call }) => call[0] as () => void);
    timers = scheduled.map(({ timer }) => timer);
  });
  afterEach(async () => {
    await t.close();
  });

  it('purges expired rows of every table on its own schedule, and leaves live ones (frozen clock)', async () => {
    const now = t.clock.now();
    // Real rows from requests: a password sign-in (refresh token) and a failed one (a failure counter).
    expect((await t.login('nobody', 'wrong-password-1')).statusCode).toBe(401);
    await t.adminToken();
    // An ended sign-in (a logout by refresh token): its row outlives the sign-in's access tokens, then goes.
    const ended = (await t.login('admin', ADMIN_PASSWORD)).json<{ refreshToken: string }>();
    expect((await t.call({ method: 'POST', url: '/api/v1/users/logout', payload: { refreshToken: ended.refreshToken } })).statusCode).toBe(200);
    const admin = await t.handle.db.selectFrom('users').select('id').where('name', '=', 'admin').executeTakeFirstOrThrow();
    const session = (id: string, idleExpiresAt: number) => ({
      id, token_hash: `hash-${id}`, user_id: admin.id, created_at: now, last_seen_at: now, idle_expires_at: idleExpiresAt,
      absolute_expires_at: now + 30 * DAY, provider_id: null, provider_issuer: null, provider_sid: null, provider_subject: null,
      id_token_enc: null, refresh_token_enc: null, provider_checked_at: null, user_agent: null, ip: null,
    });
    await t.handle.db.insertInto('sessions').values([session('ended', now + 1000), session('live', now + 30 * DAY)]).execute();
    await t.handle.db.insertInto('oidc_transactions').values({
      id_hash: 'tx', client_key: 'k', provider_id: 'p', issuer: 'https://idp', state: 's', nonce: 'n', code_verifier: 'v',
      return_to: '/', created_at: now, expires_at: now + 600_000,
    }).execute();
    await t.handle.db.insertInto('logout_token_jtis').values({ issuer: 'https://idp', jti: 'j', expires_at: now + 120_000 }).execute();
    const apiToken = (id: string, expiresAt: number, revokedAt: number | null) => ({
      id, user_id: admin.id, kind: 'PERSONAL_ACCESS', name: id, token_hash: `hash-${id}`, scopes: null, expires_at: expiresAt,
      created_at: now, last_used_at: null, revoked_at: revokedAt,
    });
    await t.handle.db.insertInto('api_tokens').values([apiToken('expired', now + 1000, null), apiToken('revoked-live', now + 90 * DAY, now)]).execute();
    // Scheduled on timers that never keep the process alive.
    expect(timers.length).toBeGreaterThanOrEqual(2);
    expect(timers.every((timer) => !timer.hasRef())).toBe(true);
    const before = await counts(t);
    expect(before.refresh_tokens).toBeGreaterThan(0);
    expect(before.login_attempts).toBe(1);
    expect(before.ended_sign_ins).toBe(1);

    // Nothing has expired yet: sweeps remove nothing.
    for (let i = 0; i < 3; i++) expect(await sweepUntil(t, ticks, before)).toEqual(before);

    // Eight days on: the refresh tokens (7 days), the ended session, the transaction, the jti, the day-old failure counter
    // and the token record expired more than a day ago go; the live session and the unexpired revoked token stay.
    t.clock.advance(8 * DAY);
    const after = { ...before, sessions: 1, oidc_transactions: 0, logout_token_jtis: 0, refresh_tokens: 0, api_tokens: 1, login_attempts: 0, ended_sign_ins: 0 };
    expect(await sweepUntil(t, ticks, after)).toEqual(after);
    expect(await t.handle.db.selectFrom('api_tokens').select('id').execute()).toEqual([{ id: 'revoked-live' }]);
    expect(await t.handle.db.selectFrom('sessions').select('id').execute()).toEqual([{ id: 'live' }]);
  });
});
