import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type DatabaseHandle, type Engine } from '../../src/storage/open-database.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { TEST_POSTGRES_URL } from './test-services.js';

/** PostgreSQL for tests (TEST_DATABASE_URL); CI starts it (see .ci/run). Each test database lives in its own fresh schema. */
export { TEST_POSTGRES_URL };

/**
 * Why the PostgreSQL-backed tests are skipped in this run (no server on a developer machine; the global setup printed
 * how to enable them), or null. Never set in CI, where a missing server fails the run.
 */
export const POSTGRES_SKIP_REASON: string | null = inject('postgresSkipReason') ?? null;
export const SKIP_POSTGRES = POSTGRES_SKIP_REASON !== null;

/** The engines the storage contract runs on in this run: SQLite always, PostgreSQL unless skipped. */
export const ENGINES: readonly Engine[] = SKIP_POSTGRES ? ['sqlite'] : ['sqlite', 'postgres'];

function requirePostgres(): void {
  // A test that asks for PostgreSQL without a skipIf(SKIP_POSTGRES) gets this one line, not a connection error.
  if (POSTGRES_SKIP_REASON) throw new Error(`this test needs PostgreSQL, but ${POSTGRES_SKIP_REASON}; mark it skipIf(SKIP_POSTGRES)`);
}

/** A migrated, empty database on the given engine; `dispose` drops it. */
export async function freshDatabase(engine: Engine): Promise<DatabaseHandle & { dispose(): Promise<void> }> {
  if (engine === 'sqlite') {
    const handle = openDatabase({ url: ':memory:' });
    await migrateToLatest(handle);
    return { ...handle, dispose: () => handle.close() };
  }
  requirePostgres();
  const schema = `gh_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const handle = openDatabase({ url: TEST_POSTGRES_URL, schema, poolSize: 4 });
  await migrateToLatest(handle);
  return {
    ...handle,
    dispose: async () => {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await cleanup.connect();
      await cleanup.query(`DROP SCHEMA ${schema} CASCADE`);
      await cleanup.end();
    },
  };
}

/**
 * A fresh, empty PostgreSQL database of its own (not a schema), for tests that start Gatehouse from DATABASE_URL
 * alone (the CLI) or that cut every connection to it: its name filters pg_stat_activity to this test only.
 */
export async function freshPostgresDatabase(): Promise<{ name: string; url: string; dispose(): Promise<void> }> {
  requirePostgres();
  const name = `gh_test_${randomBytes(6).toString('hex')}`;
  const adminQuery = async (text: string) => {
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    try {
      return await admin.query(text);
    } finally {
      await admin.end();
    }
  };
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), dispose: async () => void (await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)) };
}

/** Ends every server connection to the database `name` (what a PostgreSQL restart or failover does to a client). */
export async function terminateConnections(name: string): Promise<number> {
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  try {
    const result = await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
    return result.rowCount ?? 0;
  } finally {
    await admin.end();
  }
}
