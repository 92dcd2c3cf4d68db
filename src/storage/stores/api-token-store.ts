import { sql, type Kysely } from 'kysely';
import type { RowReader } from '../row-reader.js';
import type { ApiTokensTable, Database } from '../schema/index.js';

export type ApiTokenRow = ApiTokensTable;

/** Bot and personal access token records. The JWT itself is never stored; only its SHA-256. */
export interface ApiTokenStore {
  insert(row: ApiTokenRow): Promise<void>;
  /**
   * Stores a bot's new token and revokes every other live bot token of that user in one transaction, so a bot never
   * has two current tokens, even when two administrators generate at the same moment. Returns the revoked ids.
   */
  replaceBotToken(row: ApiTokenRow, now: number): Promise<string[]>;
  find(id: string): Promise<ApiTokenRow | undefined>;
  listForUser(userId: string, kind: string): Promise<ApiTokenRow[]>;
  /** Revokes every live token of a user (of one kind, or all when kind is null). Returns ids. */
  revokeAllOfKind(userId: string, kind: string | null, now: number): Promise<string[]>;
  /** Revokes live tokens among `ids` (only the given user's when userId is set). Returns the ids actually revoked. */
  revoke(ids: readonly string[], userId: string | null, now: number): Promise<string[]>;
  /**
   * Records the last use of several tokens in one statement: the token service coalesces uses in memory and flushes
   * them every few seconds, so this is one write per flush, never one per request.
   */
  touchMany(uses: readonly { id: string; at: number }[]): Promise<void>;
  /**
   * Deletes at most `limit` records of tokens that expired at `before` or earlier, revoked or not: their JWT is refused
   * on its own exp. Unlimited tokens (no expiry) are kept, revoked ones included, because only the record refuses them.
   */
  purgeExpired(before: number, limit: number): Promise<number>;
}

const TOKEN_BY_ID = 'select * from api_tokens where id = $1';
/** Uses written per statement by touchMany (3 parameters each). */
const TOUCH_SLICE = 500;

/**
 * `rows` (the database handle's reader): the request path's one read, the record at a token's first use, as a prepared
 * statement outside kysely's builder. Without it (maintenance tasks, which never call find) find goes through kysely.
 */
export function createApiTokenStore(db: Kysely<Database>, rows?: RowReader): ApiTokenStore {
  const viaKysely = (id: string) => db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
  return {
    async insert(row) {
      await db.insertInto('api_tokens').values(row).execute();
    },
    replaceBotToken: (row, now) =>
      db.transaction().execute(async (trx) => {
        if (row.kind !== 'BOT') throw new Error('replaceBotToken is for BOT tokens only');
        // A no-op write on the bot's user row serialises replacements of one bot (PostgreSQL row lock): a concurrent
        // transaction waits here, then its revoke (a fresh snapshot) sees and revokes the token inserted by this one.
        await trx.updateTable('users').set({ updated_at: sql<number>`updated_at` }).where('id', '=', row.user_id).execute();
        const revoked = await trx
          .updateTable('api_tokens').set({ revoked_at: now })
          .where('user_id', '=', row.user_id).where('kind', '=', 'BOT').where('revoked_at', 'is', null)
          .returning('id').execute();
        await trx.insertInto('api_tokens').values(row).execute();
        return revoked.map((r) => r.id);
      }),
    find: (id) => (rows ? rows.one<ApiTokenRow>('gatehouse_api_token_by_id', TOKEN_BY_ID, [id], () => viaKysely(id)) : viaKysely(id)),
    listForUser: (userId, kind) =>
      db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).where('kind', '=', kind).orderBy('created_at', 'desc').execute(),
    async revokeAllOfKind(userId, kind, now) {
      let q = db.updateTable('api_tokens').set({ revoked_at: now }).where('user_id', '=', userId).where('revoked_at', 'is', null);
      if (kind) q = q.where('kind', '=', kind);
      return (await q.returning('id').execute()).map((r) => r.id);
    },
    async revoke(ids, userId, now) {
      if (ids.length === 0) return [];
      let q = db.updateTable('api_tokens').set({ revoked_at: now }).where('id', 'in', [...ids]).where('revoked_at', 'is', null);
      if (userId) q = q.where('user_id', '=', userId);
      return (await q.returning('id').execute()).map((r) => r.id);
    },
    async touchMany(uses) {
      // In slices of a fixed size: one statement for thousands of tokens (a first-use burst between two flushes) would
      // pass SQLite's limit of 32,766 parameters (3 per use) and fail, and every slice but the last has the same text,
      // so its prepared statement is reused instead of a new one-off text filling the statement cache.
      for (let start = 0; start < uses.length; start += TOUCH_SLICE) {
        const slice = uses.slice(start, start + TOUCH_SLICE);
        // One UPDATE with a CASE per id; the cast gives PostgreSQL the parameter's type (bigint), SQLite ignores it.
        const cases = sql.join(slice.map((u) => sql`when ${u.id} then cast(${u.at} as bigint)`), sql` `);
        await db
          .updateTable('api_tokens')
          .set({ last_used_at: sql<number>`case id ${cases} else last_used_at end` })
          .where('id', 'in', slice.map((u) => u.id))
          .execute();
      }
    },
    async purgeExpired(before, limit) {
      const expired = db.selectFrom('api_tokens').select('id').where('expires_at', 'is not', null).where('expires_at', '<=', before).limit(limit);
      const result = await db.deleteFrom('api_tokens').where('id', 'in', expired).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
