import { Migrator, sql, type MigrationResultSet } from 'kysely';
import { GatehouseError } from '../errors/index.js';
import type { DatabaseHandle } from './open-database.js';
import { migrationProvider } from './migrations/index.js';

/**
 * The migrator of this database. On PostgreSQL its bookkeeping tables are named with our schema: unqualified, Kysely
 * decides whether they exist by looking at every schema of the database, so another schema's kysely_migration_lock
 * (a second application, or parallel test schemas) made it skip creating ours and then fail to find it.
 */
async function migratorOf(handle: DatabaseHandle): Promise<Migrator> {
  if (handle.engine !== 'postgres') return new Migrator({ db: handle.db, provider: migrationProvider });
  const schema = handle.schema ?? (await sql<{ schema: string }>`select current_schema() as schema`.execute(handle.db)).rows[0]?.schema;
  return new Migrator({ db: handle.db, provider: migrationProvider, ...(schema ? { migrationTableSchema: schema } : {}) });
}

/** Applies every pending migration; throws STORAGE_MIGRATION_FAILED naming the failing one. */
export async function migrateToLatest(handle: DatabaseHandle): Promise<string[]> {
  const migrator = await migratorOf(handle);
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName;
    // The operator needs the cause as much as the name; when no migration ran (lock, bookkeeping table, a migration
    // recorded by a newer version) there is no name, only the cause.
    const cause = (result.error instanceof Error ? result.error.message : String(result.error)).slice(0, 500);
    const detail = failed ? `Migration ${failed} failed: ${cause}` : `No migration could run: ${cause}`;
    throw new GatehouseError('STORAGE_MIGRATION_FAILED', detail, { cause: result.error, internal: { migration: failed ?? null } });
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** True when every known migration has been applied (used by /readyz). */
export async function migrationsApplied(handle: DatabaseHandle): Promise<boolean> {
  const migrator = await migratorOf(handle);
  const all = await migrator.getMigrations();
  return all.every((m) => m.executedAt !== undefined);
}
