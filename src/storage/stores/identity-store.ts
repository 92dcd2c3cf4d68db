import type { Kysely } from 'kysely';
import type { Database, IdentitiesTable } from '../schema/index.js';

export type IdentityRow = IdentitiesTable;

/** Links a provider's (issuer, subject) to a user: sign-in matches on this pair, never on e-mail alone. */
export interface IdentityStore {
  find(issuer: string, subject: string): Promise<IdentityRow | undefined>;
  /** Inserts the link; returns false when the pair is already linked (to anyone). */
  link(row: IdentityRow): Promise<boolean>;
  touch(issuer: string, subject: string, now: number, email: string | null): Promise<void>;
  listForUser(userId: string): Promise<IdentityRow[]>;
  /** The links of several users in one query (a page of the users list), by user id. */
  listForUsers(userIds: readonly string[]): Promise<Map<string, IdentityRow[]>>;
}

export function createIdentityStore(db: Kysely<Database>): IdentityStore {
  return {
    find: (issuer, subject) =>
      db.selectFrom('identities').selectAll().where('issuer', '=', issuer).where('subject', '=', subject).executeTakeFirst(),
    async link(row) {
      const result = await db
        .insertInto('identities')
        .values(row)
        .onConflict((oc) => oc.columns(['issuer', 'subject']).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },
    async touch(issuer, subject, now, email) {
      await db
        .updateTable('identities')
        .set({ last_login_at: now, email })
        .where('issuer', '=', issuer)
        .where('subject', '=', subject)
        .execute();
    },
    listForUser: (userId) => db.selectFrom('identities').selectAll().where('user_id', '=', userId).orderBy('created_at').execute(),
    async listForUsers(userIds) {
      const byUser = new Map<string, IdentityRow[]>();
      if (userIds.length === 0) return byUser;
      const rows = await db.selectFrom('identities').selectAll().where('user_id', 'in', [...new Set(userIds)]).orderBy('created_at').execute();
      for (const row of rows) {
        const list = byUser.get(row.user_id) ?? [];
        list.push(row);
        byUser.set(row.user_id, list);
      }
      return byUser;
    },
  };
}
