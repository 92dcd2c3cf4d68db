import type { Kysely } from 'kysely';
import type { Database, SessionsTable } from '../schema/index.js';

export type SessionRow = SessionsTable;

/** What a bulk end of sessions removed, so callers can audit and invalidate caches per user. */
export interface EndedSession {
  id: string;
  user_id: string;
}

/**
 * Browser sessions, looked up by the SHA-256 of the cookie value. Ending a session deletes its row; the server reads
 * rows through a short per-instance cache (sessions/session-cache.ts) that every end of a session clears everywhere.
 */
export interface SessionStore {
  insert(row: SessionRow): Promise<void>;
  findByTokenHash(tokenHash: string): Promise<SessionRow | undefined>;
  findById(id: string): Promise<SessionRow | undefined>;
  /** Slides the idle expiry, but only when last_seen_at <= seenBefore: at most one write per interval. */
  touch(tokenHash: string, update: { now: number; idleExpiresAt: number; seenBefore: number }): Promise<boolean>;
  /** Gives the session a new secret (rotation); undefined when the old one is gone. */
  replaceTokenHash(oldHash: string, newHash: string): Promise<SessionRow | undefined>;
  /**
   * Atomically takes the right to re-check the session with the provider: true for exactly one caller among
   * concurrent ones (compare-and-set on provider_checked_at), so a rotating refresh token is used once.
   */
  claimProviderCheck(id: string, expectedCheckedAt: number | null, now: number): Promise<boolean>;
  updateProviderTokens(id: string, update: { idTokenEnc?: string | null; refreshTokenEnc: string | null; checkedAt: number }): Promise<boolean>;
  deleteByTokenHash(tokenHash: string): Promise<SessionRow | undefined>;
  /** Ends one session by its public id; with userId, only when it belongs to that user. */
  deleteById(id: string, userId?: string): Promise<EndedSession | undefined>;
  deleteForUser(userId: string, exceptId?: string): Promise<EndedSession[]>;
  deleteByProviderSid(issuer: string, sid: string): Promise<EndedSession[]>;
  deleteByProviderSubject(issuer: string, subject: string): Promise<EndedSession[]>;
  /** Live sessions of a user, newest first. */
  listForUser(userId: string, now: number): Promise<SessionRow[]>;
  /** Keeps the `keep` newest sessions of the user and deletes the others. */
  evictOldest(userId: string, keep: number): Promise<EndedSession[]>;
  deleteExpired(now: number): Promise<number>;
  /** Deletes at most `limit` rows of sessions expired (idle or absolute) at `before` or earlier; returns how many (a sweep repeats it in bounded batches). */
  purgeExpired(before: number, limit: number): Promise<number>;
}

export function createSessionStore(db: Kysely<Database>): SessionStore {
  return {
    async insert(row) {
      await db.insertInto('sessions').values(row).execute();
    },
    async findByTokenHash(tokenHash) {
      return db.selectFrom('sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    },
    async findById(id) {
      return db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async touch(tokenHash, { now, idleExpiresAt, seenBefore }) {
      const result = await db
        .updateTable('sessions')
        .set({ last_seen_at: now, idle_expires_at: idleExpiresAt })
        .where('token_hash', '=', tokenHash)
        .where('last_seen_at', '<=', seenBefore)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async replaceTokenHash(oldHash, newHash) {
      return db.updateTable('sessions').set({ token_hash: newHash }).where('token_hash', '=', oldHash).returningAll().executeTakeFirst();
    },
    async claimProviderCheck(id, expectedCheckedAt, now) {
      const result = await db
        .updateTable('sessions')
        .set({ provider_checked_at: now })
        .where('id', '=', id)
        .where('provider_checked_at', expectedCheckedAt === null ? 'is' : '=', expectedCheckedAt)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async updateProviderTokens(id, update) {
      const result = await db
        .updateTable('sessions')
        .set({
          refresh_token_enc: update.refreshTokenEnc,
          provider_checked_at: update.checkedAt,
          ...(update.idTokenEnc !== undefined ? { id_token_enc: update.idTokenEnc } : {}),
        })
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async deleteByTokenHash(tokenHash) {
      return db.deleteFrom('sessions').where('token_hash', '=', tokenHash).returningAll().executeTakeFirst();
    },
    async deleteById(id, userId) {
      let query = db.deleteFrom('sessions').where('id', '=', id);
      if (userId !== undefined) query = query.where('user_id', '=', userId);
      return query.returning(['id', 'user_id']).executeTakeFirst();
    },
    async deleteForUser(userId, exceptId) {
      let query = db.deleteFrom('sessions').where('user_id', '=', userId);
      if (exceptId !== undefined) query = query.where('id', '!=', exceptId);
      return query.returning(['id', 'user_id']).execute();
    },
    async deleteByProviderSid(issuer, sid) {
      return db.deleteFrom('sessions').where('provider_issuer', '=', issuer).where('provider_sid', '=', sid).returning(['id', 'user_id']).execute();
    },
    async deleteByProviderSubject(issuer, subject) {
      return db
        .deleteFrom('sessions')
        .where('provider_issuer', '=', issuer)
        .where('provider_subject', '=', subject)
        .returning(['id', 'user_id'])
        .execute();
    },
    async listForUser(userId, now) {
      return db
        .selectFrom('sessions')
        .selectAll()
        .where('user_id', '=', userId)
        .where('idle_expires_at', '>', now)
        .where('absolute_expires_at', '>', now)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
    },
    async evictOldest(userId, keep) {
      const newest = db.selectFrom('sessions').select('id').where('user_id', '=', userId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(keep);
      return db
        .deleteFrom('sessions')
        .where('user_id', '=', userId)
        .where('id', 'not in', newest)
        .returning(['id', 'user_id'])
        .execute();
    },
    async deleteExpired(now) {
      const result = await db
        .deleteFrom('sessions')
        .where((eb) => eb.or([eb('idle_expires_at', '<=', now), eb('absolute_expires_at', '<=', now)]))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async purgeExpired(before, limit) {
      const expired = db
        .selectFrom('sessions').select('id')
        .where((eb) => eb.or([eb('idle_expires_at', '<=', before), eb('absolute_expires_at', '<=', before)]))
        .limit(limit);
      const result = await db.deleteFrom('sessions').where('id', 'in', expired).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
