import { sql, type Kysely } from 'kysely';
import type { Database, UsersTable } from '../schema/index.js';

export type UserRow = UsersTable;
export type UserPatch = Partial<Omit<UsersTable, 'id' | 'created_at'>>;

export interface UserListQuery {
  q?: string | undefined;
  /** Without isBot: bots are listed only with includeBots. */
  includeBots?: boolean | undefined;
  isBot?: boolean | undefined;
  isAdmin?: boolean | undefined;
  /** Soft-deleted users: left out (default), only them, or all. */
  include?: 'non-deleted' | 'deleted' | 'all' | undefined;
  limit: number;
  /** Offset paging, or a name cursor: rows after / before that name (in name order). */
  offset?: number | undefined;
  after?: string | undefined;
  before?: string | undefined;
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
    async list({ q, includeBots, isBot, isAdmin, include = 'non-deleted', limit, offset = 0, after, before }) {
      let query = db.selectFrom('users');
      if (isBot !== undefined) query = query.where('is_bot', '=', isBot ? 1 : 0);
      else if (!includeBots) query = query.where('is_bot', '=', 0);
      if (isAdmin !== undefined) query = query.where('is_admin', '=', isAdmin ? 1 : 0);
      if (include !== 'all') query = query.where('deleted', '=', include === 'deleted' ? 1 : 0);
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
      let page = query.selectAll();
      // Cursor pages read backwards for `before` (nearest first) and are put back in name order below.
      if (after !== undefined) page = page.where('name', '>', after).orderBy('name').limit(limit);
      else if (before !== undefined) page = page.where('name', '<', before).orderBy('name', 'desc').limit(limit);
      else page = page.orderBy('name').limit(limit).offset(offset);
      const [found, count] = await Promise.all([
        page.execute(),
        query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      const rows = before !== undefined ? found.reverse() : found;
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
