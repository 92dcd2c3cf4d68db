import { sql, type Kysely } from 'kysely';
import type { Database, UsersTable } from '../schema/index.js';

export type UserRow = UsersTable;
export type UserPatch = Partial<Omit<UsersTable, 'id' | 'created_at'>>;

export interface UserListQuery {
  q?: string | undefined;
  includeBots?: boolean | undefined;
  limit: number;
  offset: number;
}

/** Users by id, name and e-mail. Names and e-mails are stored lower-cased by the caller. */
export interface UserStore {
  insert(row: UserRow): Promise<void>;
  findById(id: string): Promise<UserRow | undefined>;
  findByName(name: string): Promise<UserRow | undefined>;
  findByEmail(email: string): Promise<UserRow | undefined>;
  list(query: UserListQuery): Promise<{ rows: UserRow[]; total: number }>;
  update(id: string, patch: UserPatch): Promise<UserRow | undefined>;
  delete(id: string): Promise<boolean>;
  /** Bootstrap accounts whose initial password is still unchanged (production refuses to start with any). */
  listUnchangedBootstrapAdmins(): Promise<UserRow[]>;
  /**
   * Applies `patch` (or deletes, when null) unless the user is the last enabled administrator, atomically: concurrent
   * demotions of the two last admins cannot both succeed.
   */
  changeUnlessLastAdmin(id: string, patch: UserPatch | null): Promise<'done' | 'last-admin'>;
}

export function createUserStore(db: Kysely<Database>, engine: 'sqlite' | 'postgres' = 'sqlite'): UserStore {
  return {
    async insert(row) {
      await db.insertInto('users').values(row).execute();
    },
    findById: (id) => db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst(),
    findByName: (name) => db.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst(),
    findByEmail: (email) => db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst(),
    async list({ q, includeBots, limit, offset }) {
      let query = db.selectFrom('users');
      if (!includeBots) query = query.where('is_bot', '=', 0);
      if (q) {
        // LIKE wildcards in the search text are matched literally.
        const pattern = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        query = query.where((eb) =>
          eb.or([
            eb('name', 'like', sql<string>`${pattern} escape '\\'`),
            eb('email', 'like', sql<string>`${pattern} escape '\\'`),
            eb(sql`lower(display_name)`, 'like', sql<string>`${pattern} escape '\\'`),
          ]),
        );
      }
      const [rows, count] = await Promise.all([
        query.selectAll().orderBy('name').limit(limit).offset(offset).execute(),
        query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(count.n) };
    },
    async update(id, patch) {
      if (Object.keys(patch).length > 0) await db.updateTable('users').set(patch).where('id', '=', id).execute();
      return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async delete(id) {
      const result = await db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    listUnchangedBootstrapAdmins: () =>
      db.selectFrom('users').selectAll().where('is_bootstrap', '=', 1).where('must_change_password', '=', 1).execute(),
    changeUnlessLastAdmin: (id, patch) =>
      db.transaction().execute(async (trx) => {
        let admins = trx.selectFrom('users').select('id').where('is_admin', '=', 1).where('disabled', '=', 0).where('is_bot', '=', 0);
        // PostgreSQL: lock the admin rows so a concurrent demotion waits and then sees this one. SQLite: Kysely runs
        // transactions one at a time on its single connection, which serializes them already.
        if (engine === 'postgres') admins = admins.forUpdate();
        const rows = await admins.execute();
        if (rows.length <= 1 && rows.some((r) => r.id === id)) return 'last-admin' as const;
        if (patch === null) await trx.deleteFrom('users').where('id', '=', id).execute();
        else await trx.updateTable('users').set(patch).where('id', '=', id).execute();
        return 'done' as const;
      }),
  };
}
