import type { Kysely } from 'kysely';

// OpenMetadata soft-deletes bots and roles (restorable) as it does users. A soft-deleted role keeps its grants so a
// restore brings them back, but grants nothing meanwhile (role-store.ts reads only live roles); a soft-deleted bot's
// bot user is marked deleted and disabled with it (users.deleted, migration 006), which stops its token at once.
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of ['roles', 'bots']) {
    await db.schema.alterTable(table).addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['bots', 'roles']) {
    await db.schema.alterTable(table).dropColumn('deleted').execute();
  }
}
