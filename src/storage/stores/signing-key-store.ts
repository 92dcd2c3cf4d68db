import { sql, type Kysely } from 'kysely';
import type { Database, SigningKeysTable } from '../schema/index.js';

export type SigningKeyRow = SigningKeysTable;

/** Signing keys and their life cycle (active -> retiring -> retired). */
export interface SigningKeyStore {
  list(): Promise<SigningKeyRow[]>;
  find(kid: string): Promise<SigningKeyRow | undefined>;
  insert(row: SigningKeyRow): Promise<void>;
  /**
   * Makes `kid` the only active key; the previous active key becomes retiring. One transaction. False (and nothing
   * changed) when there is no such key.
   */
  activate(kid: string, now: number): Promise<boolean>;
  retire(kid: string, now: number): Promise<boolean>;
  /**
   * Records that a token signed by `kid` lives until `expiresAt` (null = unlimited). Never lowers the mark. Only a live
   * (active or retiring) key is updated; returns false for a retired or unknown key, which must not sign.
   */
  noteTokenExpiry(kid: string, expiresAt: number | null): Promise<boolean>;
}

/** Advisory lock id for key activation ("gatk" in ASCII); any constant works, it only has to be shared. */
const ACTIVATION_LOCK = 0x6761746b;

/** `engine` selects the PostgreSQL locking for activate(); pass the handle's engine (as for createUserStore). */
export function createSigningKeyStore(db: Kysely<Database>, engine: 'sqlite' | 'postgres' = 'sqlite'): SigningKeyStore {
  return {
    list: () => db.selectFrom('signing_keys').selectAll().orderBy('created_at', 'desc').execute(),
    find: (kid) => db.selectFrom('signing_keys').selectAll().where('kid', '=', kid).executeTakeFirst(),
    async insert(row) {
      await db.insertInto('signing_keys').values(row).execute();
    },
    activate: (kid, now) =>
      db.transaction().execute(async (trx) => {
        // Serialise activations. PostgreSQL: a transaction-scoped advisory lock, so a concurrent activation waits until
        // this one commits and its statements (fresh snapshots in READ COMMITTED) then see and demote our key. Row locks
        // do not do it: waiters re-check only the rows they waited for and miss a key a competitor activated meanwhile.
        // SQLite has a single writer. Should two keys ever be active anyway, every ring signs with the newest.
        if (engine === 'postgres') await sql`select pg_advisory_xact_lock(cast(${ACTIVATION_LOCK} as bigint))`.execute(trx);
        const target = await trx.selectFrom('signing_keys').select('kid').where('kid', '=', kid).executeTakeFirst();
        if (!target) return false;
        await trx.updateTable('signing_keys').set({ status: 'retiring', retiring_since: now }).where('status', '=', 'active').where('kid', '!=', kid).execute();
        await trx.updateTable('signing_keys').set({ status: 'active', activated_at: now, retiring_since: null, retired_at: null }).where('kid', '=', kid).execute();
        return true;
      }),
    async retire(kid, now) {
      const result = await db.updateTable('signing_keys').set({ status: 'retired', retired_at: now }).where('kid', '=', kid).where('status', '=', 'retiring').executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async noteTokenExpiry(kid, expiresAt) {
      // The cast matters on PostgreSQL: a bare parameter next to `-1` is typed integer, and ms times overflow int4.
      const mark = sql<number>`cast(${expiresAt ?? -1} as bigint)`;
      const result = await db
        .updateTable('signing_keys')
        .set({
          last_token_expires_at: sql<number>`case when last_token_expires_at = -1 or ${mark} = -1 then -1 when last_token_expires_at is null or last_token_expires_at < ${mark} then ${mark} else last_token_expires_at end`,
        })
        .where('kid', '=', kid)
        .where('status', 'in', ['active', 'retiring'])
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}
