import type { Kysely } from 'kysely';
import type { Database, RefreshTokensTable } from '../schema/index.js';

export type RefreshTokenRow = RefreshTokensTable;

export type ConsumeResult =
  | { kind: 'ok'; row: RefreshTokenRow }
  | { kind: 'reused'; row: RefreshTokenRow }
  | { kind: 'invalid' };

/** Rotating refresh tokens (password sign-in). Each token works once; a reused one reveals theft. */
export interface RefreshTokenStore {
  insert(row: RefreshTokenRow): Promise<void>;
  /** Marks the token used, atomically; tells apart unknown/expired/revoked from reused. */
  consume(tokenHash: string, now: number): Promise<ConsumeResult>;
  revokeFamily(familyId: string, now: number): Promise<void>;
  /** Revokes every live refresh token of the user; returns the families (sign-ins) that had one. */
  revokeAllForUser(userId: string, now: number): Promise<string[]>;
  deleteExpired(now: number): Promise<number>;
  /**
   * Deletes at most `limit` tokens expired at `before` or earlier whose whole family expired: while one token of a
   * family lives, its used predecessors stay, so presenting a stolen old one is still seen as reuse.
   */
  purgeExpired(before: number, limit: number): Promise<number>;
}

export function createRefreshTokenStore(db: Kysely<Database>): RefreshTokenStore {
  return {
    async insert(row) {
      await db.insertInto('refresh_tokens').values(row).execute();
    },
    async consume(tokenHash, now) {
      const used = await db
        .updateTable('refresh_tokens')
        .set({ used_at: now })
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .returningAll()
        .executeTakeFirst();
      if (used) return { kind: 'ok', row: used };
      const row = await db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      if (row && row.used_at !== null) return { kind: 'reused', row };
      return { kind: 'invalid' };
    },
    async revokeFamily(familyId, now) {
      await db.updateTable('refresh_tokens').set({ revoked_at: now }).where('family_id', '=', familyId).where('revoked_at', 'is', null).execute();
    },
    async revokeAllForUser(userId, now) {
      const rows = await db
        .updateTable('refresh_tokens')
        .set({ revoked_at: now })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .returning('family_id')
        .execute();
      return [...new Set(rows.map((r) => r.family_id))];
    },
    async deleteExpired(now) {
      const result = await db.deleteFrom('refresh_tokens').where('expires_at', '<=', now).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async purgeExpired(before, limit) {
      const liveFamilies = db.selectFrom('refresh_tokens').select('family_id').where('expires_at', '>', before);
      const expired = db
        .selectFrom('refresh_tokens').select('token_hash')
        .where('expires_at', '<=', before)
        .where('family_id', 'not in', liveFamilies)
        .limit(limit);
      const result = await db.deleteFrom('refresh_tokens').where('token_hash', 'in', expired).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
