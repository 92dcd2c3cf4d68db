import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateToLatest, migrationsApplied } from '../../src/storage/migrate.js';
import { openDatabase, type DatabaseHandle } from '../../src/storage/open-database.js';
import { SKIP_POSTGRES, TEST_POSTGRES_URL } from '../support/databases.js';

const schemas: string[] = [];
const handles: DatabaseHandle[] = [];

async function admin(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function schemaHandle(): Promise<DatabaseHandle> {
  const schema = `gh_mig_${Math.random().toString(36).slice(2, 10)}`;
  await admin(`CREATE SCHEMA ${schema}`);
  schemas.push(schema);
  const handle = openDatabase({ url: TEST_POSTGRES_URL, schema, poolSize: 2 });
  handles.push(handle);
  return handle;
}

afterAll(async () => {
  for (const handle of handles) await handle.close();
  for (const schema of schemas) await admin(`DROP SCHEMA ${schema} CASCADE`);
});

describe.skipIf(SKIP_POSTGRES)('migrations on PostgreSQL beside another migrated schema', () => {
  // Kysely looks for its bookkeeping tables in every schema unless told which: a second schema then skipped creating
  // its own and failed with 'relation "kysely_migration..." does not exist' (seen as a flaky test under load).
  it('migrates a fresh schema while another schema of the same database already holds Kysely\'s tables', async () => {
    const first = await schemaHandle();
    await migrateToLatest(first);
    const second = await schemaHandle();
    const applied = await migrateToLatest(second);
    expect(applied.length).toBeGreaterThan(0);
    expect(await migrationsApplied(second)).toBe(true);
    expect(await migrateToLatest(second)).toEqual([]);
  });
});
