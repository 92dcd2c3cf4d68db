import type SQLite from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/**
 * The SQLite database as kysely's driver sees it, with prepared statements reused by their SQL text. Kysely's driver
 * prepares every statement on every call; profiling the bearer path showed `prepare` as the largest single cost (about a
 * fifth of the server's CPU on loggedInUser). Kysely runs one statement at a time on its one SQLite connection, so a
 * cached statement is never used by two queries at once. Bounded: our queries are a few hundred fixed texts, but an
 * `in (…)` list makes a text per list length.
 */
export function withStatementCache(database: SQLite.Database, maxEntries = 500): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => void database.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (!statement) {
        statement = database.prepare(sql);
        if (statements.size >= maxEntries) statements.delete(statements.keys().next().value as string);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}
