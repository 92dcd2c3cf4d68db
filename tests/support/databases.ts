import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type DatabaseHandle, type Engine } from '../../src/storage/open-database.js';
import { migrateToLatest } from '../../src/storage/migrate.js';

/** PostgreSQL for tests; CI starts it (see .ci/run). Each test database lives in its own fresh schema. */
export const TEST_POSTGRES_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export const ENGINES: readonly Engine[] = ['sqlite', 'postgres'];

/** A migrated, empty database on the given engine; `dispose` drops it. */
export async function freshDatabase(engine: Engine): Promise<DatabaseHandle & { dispose(): Promise<void> }> {
  if (engine === 'sqlite') {
    const handle = openDatabase({ url: ':memory:' });
    await migrateToLatest(handle);
    return { ...handle, dispose: () => handle.close() };
  }
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
