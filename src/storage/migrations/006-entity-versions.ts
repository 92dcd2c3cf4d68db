import { sql, type Kysely } from 'kysely';

// OpenMetadata's clients read `version` (0.1, 0.2, ...), `updatedBy` and `deleted` on users, roles and bots.
// `double precision` is a real number on both engines (SQLite gives it REAL affinity).
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of ['users', 'roles', 'bots']) {
    await db.schema.alterTable(table).addColumn('version', sql`double precision`, (c) => c.notNull().defaultTo(0.1)).execute();
    await db.schema.alterTable(table).addColumn('updated_by', 'text').execute();
  }
  // Only users are soft-deleted (restorable); roles and bots are always deleted for good.
  await db.schema.alterTable('users').addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('deleted').execute();
  for (const table of ['bots', 'roles', 'users']) {
    await db.schema.alterTable(table).dropColumn('updated_by').execute();
    await db.schema.alterTable(table).dropColumn('version').execute();
  }
}
