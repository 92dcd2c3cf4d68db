import type { Kysely } from 'kysely';
import type { Database } from '../schema/index.js';

/** Ended password sign-ins, so their access tokens are refused on every instance (one primary-key lookup). */
export interface EndedSignInStore {
  /** Records the sign-ins as ended; recording one twice keeps the later expiry. */
  end(ids: readonly string[], userId: string, now: number, expiresAt: number): Promise<void>;
  isEnded(id: string): Promise<boolean>;
  /** Deletes at most `limit` rows whose tokens have all expired (expires_at <= now); returns how many. */
  purgeExpired(now: number, limit: number): Promise<number>;
}

export function createEndedSignInStore(db: Kysely<Database>): EndedSignInStore {
  return {
    async end(ids, userId, now, expiresAt) {
      if (ids.length === 0) return;
      await db
        .insertInto('ended_sign_ins')
        .values(ids.map((id) => ({ id, user_id: userId, ended_at: now, expires_at: expiresAt })))
        .onConflict((oc) => oc.column('id').doUpdateSet({ expires_at: expiresAt }).where('ended_sign_ins.expires_at', '<', expiresAt))
        .execute();
    },
    async isEnded(id) {
      const row = await db.selectFrom('ended_sign_ins').select('id').where('id', '=', id).executeTakeFirst();
      return row !== undefined;
    },
    async purgeExpired(now, limit) {
      // A bounded batch (sub-select, as neither engine limits DELETE portably), so a sweep never holds a long lock.
      const batch = db.selectFrom('ended_sign_ins').select('id').where('expires_at', '<=', now).orderBy('expires_at').limit(limit);
      const result = await db.deleteFrom('ended_sign_ins').where('id', 'in', batch).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
