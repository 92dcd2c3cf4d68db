import type { Kysely } from 'kysely';

// The expiry sweep (storage/expiry-sweep.ts) deletes by these columns every minute: without an index each run would scan
// the whole table.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('refresh_tokens_expiry_idx').on('refresh_tokens').column('expires_at').execute();
  await db.schema.createIndex('api_tokens_expiry_idx').on('api_tokens').column('expires_at').execute();
  await db.schema.createIndex('login_attempts_updated_idx').on('login_attempts').column('updated_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('login_attempts_updated_idx').execute();
  await db.schema.dropIndex('api_tokens_expiry_idx').execute();
  await db.schema.dropIndex('refresh_tokens_expiry_idx').execute();
}
