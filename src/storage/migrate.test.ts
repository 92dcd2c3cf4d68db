import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateToLatest } from './migrate.js';
import { openDatabase, type DatabaseHandle } from './open-database.js';

describe('migrateToLatest: a failure names the migration and its cause', () => {
  let handle: DatabaseHandle;
  afterEach(async () => {
    await handle.close();
  });

  it('names the failing migration and the database error', async () => {
    handle = openDatabase({ url: ':memory:' });
    // A table left behind by hand makes 003 fail half-way through the list.
    await sql`create table sessions (id text)`.execute(handle.db);
    await expect(migrateToLatest(handle)).rejects.toMatchObject({
      code: 'STORAGE_MIGRATION_FAILED',
      detail: expect.stringMatching(/^Migration 003-sessions-sso failed: table "sessions" already exists$/),
      internal: { migration: '003-sessions-sso' },
    });
  });

  it('gives the cause when no migration could run (never "Migration unknown failed")', async () => {
    handle = openDatabase({ url: ':memory:' });
    await migrateToLatest(handle);
    // As if a newer Gatehouse had migrated this database: a recorded migration this version does not know.
    await sql`insert into kysely_migration (name, timestamp) values ('999-from-the-future', '2026-01-01T00:00:00.000Z')`.execute(handle.db);
    const error = await migrateToLatest(handle).then(() => null, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'STORAGE_MIGRATION_FAILED', detail: expect.stringMatching(/^No migration could run: .*999-from-the-future/) });
    expect(String((error as Error).message)).not.toMatch(/unknown/);
  });
});
