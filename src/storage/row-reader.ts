import type SQLite from 'better-sqlite3';
import type pg from 'pg';

/**
 * One row by a fixed statement, outside kysely's query builder, for the few reads on a request's path (the token
 * record at a token's first use): kysely's build-compile-freeze costs more than the indexed read itself.
 */
export interface RowReader {
  /**
   * The first row of `text` (PostgreSQL placeholders `$1`, `$2`… in order, each used once), or undefined. `name` names
   * the prepared statement (PostgreSQL prepares it once per connection). `viaKysely` is the same read through kysely,
   * for when the fast path must not be taken (see the SQLite reader).
   */
  one<T>(name: string, text: string, params: readonly unknown[], viaKysely: () => Promise<T | undefined>): Promise<T | undefined>;
}

/**
 * SQLite: better-sqlite3's prepared statement (kept by `prepare`, the statement cache), run synchronously. While a
 * kysely transaction is open on the one connection, the read goes through kysely instead, which waits for the commit as
 * every other query does: a direct read would see the transaction's uncommitted rows.
 */
export function sqliteRowReader(database: Pick<SQLite.Database, 'inTransaction'>, prepare: (sql: string) => SQLite.Statement): RowReader {
  // By name, so the placeholder rewrite and the statement lookup happen once, not on every request.
  const statements = new Map<string, SQLite.Statement>();
  return {
    async one<T>(name: string, text: string, params: readonly unknown[], viaKysely: () => Promise<T | undefined>) {
      if (database.inTransaction) return viaKysely();
      let statement = statements.get(name);
      if (!statement) {
        statement = prepare(text.replace(/\$\d+/g, '?'));
        statements.set(name, statement);
      }
      return statement.get(...params) as T | undefined;
    },
  };
}

/** PostgreSQL: a named prepared statement on whichever pooled connection runs it (read committed, as kysely's reads). */
export function postgresRowReader(pool: Pick<pg.Pool, 'query'>): RowReader {
  return {
    async one<T>(name: string, text: string, params: readonly unknown[]) {
      const result = await pool.query({ name, text, values: [...params] });
      return result.rows[0] as T | undefined;
    },
  };
}
