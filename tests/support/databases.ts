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
