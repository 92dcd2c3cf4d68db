import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema/index.js';

export interface AttemptReservation {
  /** Failures counted including this attempt. */
  failures: number;
  lockedUntil: number | null;
}

/** The answer to a reservation: admitted (counted, so its password may be checked) or not, with the current count. */
export interface AttemptAdmission extends AttemptReservation {
  admitted: boolean;
}

/**
 * Counts password attempts per login name. An attempt is reserved (counted) atomically BEFORE the password is checked,
 * so N parallel guesses can never evaluate more than the allowed number of passwords.
 */
export interface LoginAttemptStore {
  /**
   * Counts this attempt only while fewer than `limit` are counted and no lock is in force (an expired lock starts a
   * new count). The count is failures plus checks in flight; refused attempts leave it unchanged.
   */
  reserve(loginKey: string, now: number, limit: number): Promise<AttemptAdmission>;
  /** Takes back one admitted attempt whose password was never judged (an error on the way); never below zero. */
  release(loginKey: string): Promise<void>;
  /** Locks until `until` unless a lock is already in force; true for the one call that actually locked. */
  lock(loginKey: string, until: number, now: number): Promise<boolean>;
  clear(loginKey: string): Promise<void>;
  get(loginKey: string): Promise<AttemptReservation | undefined>;
  /**
   * Deletes at most `limit` counters whose last attempt, and lock if any, ended at `before` or earlier; the next
   * attempt of such a name starts a new count. A lock still in force is never deleted.
   */
  purgeExpired(before: number, limit: number): Promise<number>;
}

export function createLoginAttemptStore(db: Kysely<Database>): LoginAttemptStore {
  async function get(loginKey: string): Promise<AttemptReservation | undefined> {
    const row = await db.selectFrom('login_attempts').select(['failures', 'locked_until']).where('login_key', '=', loginKey).executeTakeFirst();
    return row ? { failures: Number(row.failures), lockedUntil: row.locked_until === null ? null : Number(row.locked_until) } : undefined;
  }

  return {
    async reserve(loginKey, now, limit) {
      // One statement on both engines: an expired lock starts a new count; otherwise the count goes up by one only
      // below the limit and without a lock (the WHERE of the upsert), so the limit holds however many race.
      const expired = sql<boolean>`login_attempts.locked_until is not null and login_attempts.locked_until <= ${now}`;
      const row = await db
        .insertInto('login_attempts')
        .values({ login_key: loginKey, failures: 1, locked_until: null, updated_at: now })
        .onConflict((oc) =>
          oc.column('login_key').doUpdateSet({
            failures: sql<number>`case when login_attempts.locked_until is not null and login_attempts.locked_until <= ${now} then 1 else login_attempts.failures + 1 end`,
            locked_until: sql<number | null>`case when login_attempts.locked_until is not null and login_attempts.locked_until <= ${now} then null else login_attempts.locked_until end`,
            updated_at: now,
          }).where(sql<boolean>`(${expired}) or (login_attempts.locked_until is null and login_attempts.failures < ${limit})`),
        )
        .returning(['failures', 'locked_until'])
        .executeTakeFirst();
      if (row) return { admitted: true, failures: Number(row.failures), lockedUntil: row.locked_until === null ? null : Number(row.locked_until) };
      const seen = await get(loginKey);
      return { admitted: false, failures: seen?.failures ?? 0, lockedUntil: seen?.lockedUntil ?? null };
    },
    async release(loginKey) {
      await db
        .updateTable('login_attempts')
        .set({ failures: sql<number>`failures - 1` })
        .where('login_key', '=', loginKey)
        .where('failures', '>', 0)
        .execute();
    },
    async lock(loginKey, until, now) {
      // Only an unlocked (or expired) row is locked: racing attempts neither extend nor shorten a lock in force.
      const result = await db
        .updateTable('login_attempts')
        .set({ locked_until: until, updated_at: now })
        .where('login_key', '=', loginKey)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async clear(loginKey) {
      await db.deleteFrom('login_attempts').where('login_key', '=', loginKey).execute();
    },
    get,
    async purgeExpired(before, limit) {
      const stale = db
        .selectFrom('login_attempts').select('login_key')
        .where('updated_at', '<=', before)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', before)]))
        .limit(limit);
      const result = await db.deleteFrom('login_attempts').where('login_key', 'in', stale).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
