import { sql, type Kysely } from 'kysely';
import type { Database, SigningKeysTable } from '../schema/index.js';

export type SigningKeyRow = SigningKeysTable;

/** Signing keys and their life cycle (active -> retiring -> retired). */
export interface SigningKeyStore {
  list(): Promise<SigningKeyRow[]>;
  find(kid: string): Promise<SigningKeyRow | undefined>;
  insert(row: SigningKeyRow): Promise<void>;
  /** Makes `kid` the only active key; the previous active key becomes retiring. One transaction. */
  activate(kid: string, now: number): Promise<void>;
  retire(kid: string, now: number): Promise<boolean>;
  /** Records that a token signed by `kid` lives until `expiresAt` (null = unlimited). Never lowers the mark. */
  noteTokenExpiry(kid: string, expiresAt: number | null): Promise<void>;
}

export function createSigningKeyStore(db: Kysely<Database>): SigningKeyStore {
  return {
    list: () => db.selectFrom('signing_keys').selectAll().orderBy('created_at', 'desc').execute(),
    find: (kid) => db.selectFrom('signing_keys').selectAll().where('kid', '=', kid).executeTakeFirst(),
    async insert(row) {
      await db.insertInto('signing_keys').values(row).execute();
    },
    async activate(kid, now) {
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('signing_keys').set({ status: 'retiring', retiring_since: now }).where('status', '=', 'active').where('kid', '!=', kid).execute();
        await trx.updateTable('signing_keys').set({ status: 'active', activated_at: now, retiring_since: null, retired_at: null }).where('kid', '=', kid).execute();
      });
    },
    async retire(kid, now) {
      const result = await db.updateTable('signing_keys').set({ status: 'retired', retired_at: now }).where('kid', '=', kid).where('status', '=', 'retiring').executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async noteTokenExpiry(kid, expiresAt) {
      const mark = expiresAt ?? -1;
      await db
        .updateTable('signing_keys')
        .set({
          last_token_expires_at: sql<number>`case when last_token_expires_at = -1 or ${mark} = -1 then -1 when last_token_expires_at is null or last_token_expires_at < ${mark} then ${mark} else last_token_expires_at end`,
        })
        .where('kid', '=', kid)
        .execute();
    },
  };
}
