import type { Kysely } from 'kysely';
import type { Database, OidcTransactionsTable } from '../schema/index.js';

export type OidcTransactionRow = OidcTransactionsTable;

/** Sign-in transactions: written at the start of a sign-in, consumed exactly once at the callback. */
export interface OidcTransactionStore {
  insert(row: OidcTransactionRow): Promise<void>;
  /**
   * Deletes and returns the transaction in one statement (DELETE ... RETURNING), so two callbacks racing with the
   * same cookie cannot both get it: a replay finds nothing.
   */
  consume(idHash: string): Promise<OidcTransactionRow | undefined>;
  countLiveForClient(clientKey: string, now: number): Promise<number>;
  countLive(now: number): Promise<number>;
  deleteExpired(now: number): Promise<number>;
  /** Deletes at most `limit` rows of transactions expired at `before` or earlier; returns how many (a sweep repeats it in bounded batches). */
  purgeExpired(before: number, limit: number): Promise<number>;
}

export function createOidcTransactionStore(db: Kysely<Database>): OidcTransactionStore {
  return {
    async insert(row) {
      await db.insertInto('oidc_transactions').values(row).execute();
    },
    async consume(idHash) {
      return db.deleteFrom('oidc_transactions').where('id_hash', '=', idHash).returningAll().executeTakeFirst();
    },
    async countLiveForClient(clientKey, now) {
      const row = await db
        .selectFrom('oidc_transactions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('client_key', '=', clientKey)
        .where('expires_at', '>', now)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async countLive(now) {
      const row = await db
        .selectFrom('oidc_transactions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('expires_at', '>', now)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async deleteExpired(now) {
      const result = await db.deleteFrom('oidc_transactions').where('expires_at', '<=', now).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async purgeExpired(before, limit) {
      const expired = db.selectFrom('oidc_transactions').select('id_hash').where('expires_at', '<=', before).limit(limit);
      const result = await db.deleteFrom('oidc_transactions').where('id_hash', 'in', expired).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

/**
 * Replay guard for back-channel logout tokens: each (issuer, jti) is accepted once while it could still be valid.
 * Kept beside the transactions because both are single-use protocol values of the SSO flow.
 */
export interface LogoutTokenReplayStore {
  /** Records the jti; false when it was already recorded and has not expired (a replay). */
  remember(issuer: string, jti: string, expiresAt: number, now: number): Promise<boolean>;
  deleteExpired(now: number): Promise<number>;
  /** Deletes at most `limit` rows whose replay window ended at `before` or earlier (an expired token is refused anyway); returns how many (a sweep repeats it in bounded batches). */
  purgeExpired(before: number, limit: number): Promise<number>;
}

export function createLogoutTokenReplayStore(db: Kysely<Database>): LogoutTokenReplayStore {
  return {
    async remember(issuer, jti, expiresAt, now) {
      // Insert, or take over an expired row; a live row is left alone and 0 rows change, which is the replay signal.
      const result = await db
        .insertInto('logout_token_jtis')
        .values({ issuer, jti, expires_at: expiresAt })
        .onConflict((oc) =>
          oc.columns(['issuer', 'jti']).doUpdateSet({ expires_at: expiresAt }).where('logout_token_jtis.expires_at', '<=', now),
        )
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },
    async deleteExpired(now) {
      const result = await db.deleteFrom('logout_token_jtis').where('expires_at', '<=', now).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async purgeExpired(before, limit) {
      const result = await db
        .deleteFrom('logout_token_jtis')
        .where(({ eb, refTuple, selectFrom }) =>
          eb(refTuple('issuer', 'jti'), 'in', selectFrom('logout_token_jtis').select(['issuer', 'jti']).where('expires_at', '<=', before).limit(limit).$asTuple('issuer', 'jti')),
        )
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
