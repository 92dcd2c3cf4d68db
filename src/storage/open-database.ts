import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, sql, SqliteDialect } from 'kysely';
import pg from 'pg';
import { redactUrl } from '../config/index.js';
import { silentLogger, type Logger } from '../shared/index.js';
import type { Database } from './schema/index.js';
import { postgresRowReader, sqliteRowReader, type RowReader } from './row-reader.js';
import { withStatementCache } from './statement-cache.js';

export type Engine = 'sqlite' | 'postgres';

export interface PoolUsage {
  readonly max: number;
  readonly total: number;
  readonly idle: number;
  /** Queries waiting for a connection: above zero for long means the pool is too small or the database too slow. */
  readonly waiting: number;
}

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly engine: Engine;
  /** Connection string without password, for diagnostics. */
  readonly description: string;
  /** Connection URL and schema (PostgreSQL), for the change feed's own connection. */
  readonly url: string;
  readonly schema: string | undefined;
  /** Fixed single-row reads outside kysely's builder, for the request path (storage/row-reader.ts). */
  readonly rows: RowReader;
  /** One round trip (readiness); rejects when the database cannot be reached. */
  ping(): Promise<void>;
  /** The connection pool's state (PostgreSQL), for metrics; null for SQLite (one connection, no pool). */
  poolUsage(): PoolUsage | null;
  close(): Promise<void>;
}

// PostgreSQL returns int8 (our millisecond timestamps) as strings by default; all our values fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/**
 * Opens SQLite (a file path or ':memory:') or PostgreSQL (a postgres:// URL).
 * `schema` (PostgreSQL only) sets the search_path, so tests can use a fresh schema each run.
 * `readonly` (SQLite only) opens an existing file without the right to change it (`gatehouse config check` only reads);
 * PostgreSQL callers that only read simply issue no writes.
 */
export function openDatabase(options: { url: string; schema?: string; poolSize?: number; logger?: Logger; readonly?: boolean }): DatabaseHandle {
  const { url } = options;
  if (/^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10, // kept in step with poolUsage().max below
      connectionTimeoutMillis: 5_000,
      ...(options.schema ? { options: `-c search_path=${quoteIdent(options.schema)}` } : {}),
    });
    // A dropped connection (server restart, failover, pg_terminate_backend) makes pg emit 'error', and an 'error'
    // event nobody listens to ends the process: every instance would die at once. The pool listens on idle clients
    // only, so each client gets its own listener for the time it is checked out (between the statements of a
    // transaction). The query in flight fails on its own; the pool drops the dead client and opens a new one.
    const logger = options.logger ?? silentLogger;
    const logLost = (error: Error) => logger.warn({ err: error }, 'database connection lost; the pool reconnects');
    pool.on('connect', (client) => client.on('error', logLost));
    pool.on('error', () => {}); // the same error, already logged by the client's own listener
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const max = options.poolSize ?? 10;
    const poolUsage = () => ({ max, total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount });
    return { db, engine: 'postgres', description: redactUrl(url), url, schema: options.schema, rows: postgresRowReader(pool), ping: () => pingDatabase(db), poolUsage, close: () => db.destroy() };
  }
  const file = url.replace(/^sqlite:(\/\/)?/, '');
  if (options.readonly) {
    const sqlite = new SQLite(file, { readonly: true, fileMustExist: true });
    sqlite.pragma('busy_timeout = 5000');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    const rows = sqliteRowReader(sqlite, (text) => sqlite.prepare(text));
    return { db, engine: 'sqlite', description: `sqlite:${file}`, url, schema: undefined, rows, ping: () => pingDatabase(db), poolUsage: () => null, close: () => db.destroy() };
  }
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const statements = withStatementCache(sqlite);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statements }) });
  const rows = sqliteRowReader(sqlite, (text) => statements.prepare(text) as SQLite.Statement);
  return { db, engine: 'sqlite', description: `sqlite:${file}`, url, schema: undefined, rows, ping: () => pingDatabase(db), poolUsage: () => null, close: () => db.destroy() };
}

/** One round trip to the database; rejects when it cannot be reached. */
async function pingDatabase(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/i.test(name)) throw new Error(`invalid schema name ${name}`);
  return name;
}
