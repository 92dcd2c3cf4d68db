import type { Kysely } from 'kysely';
import type { ApiTokensTable, Database } from '../schema/index.js';

export type ApiTokenRow = ApiTokensTable;

/** Bot and personal access token records. The JWT itself is never stored; only its SHA-256. */
export interface ApiTokenStore {
  insert(row: ApiTokenRow): Promise<void>;
  find(id: string): Promise<ApiTokenRow | undefined>;
  listForUser(userId: string, kind: string): Promise<ApiTokenRow[]>;
  /** Revokes every live token of a user and kind (a bot has one current token: a new one replaces it). Returns ids. */
  revokeAllOfKind(userId: string, kind: string | null, now: number): Promise<string[]>;
  revoke(ids: readonly string[], userId: string | null, now: number): Promise<string[]>;
  touch(id: string, now: number): Promise<void>;
}

export function createApiTokenStore(db: Kysely<Database>): ApiTokenStore {
  return {
    async insert(row) {
      await db.insertInto('api_tokens').values(row).execute();
    },
    find: (id) => db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst(),
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
    async touch(id, now) {
      await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
    },
  };
}
