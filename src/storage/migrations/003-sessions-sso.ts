import type { Kysely } from 'kysely';

// Migrations take Kysely<unknown>: they must not depend on today's row types.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('idle_expires_at', 'bigint', (c) => c.notNull())
    .addColumn('absolute_expires_at', 'bigint', (c) => c.notNull())
    .addColumn('provider_id', 'text')
    .addColumn('provider_issuer', 'text')
    .addColumn('provider_sid', 'text')
    .addColumn('provider_subject', 'text')
    .addColumn('id_token_enc', 'text')
    .addColumn('refresh_token_enc', 'text')
    .addColumn('provider_checked_at', 'bigint')
    .addColumn('user_agent', 'text')
    .addColumn('ip', 'text')
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').columns(['user_id', 'created_at']).execute();
  await db.schema.createIndex('sessions_sid_idx').on('sessions').columns(['provider_issuer', 'provider_sid']).execute();
  await db.schema.createIndex('sessions_subject_idx').on('sessions').columns(['provider_issuer', 'provider_subject']).execute();
  await db.schema.createIndex('sessions_idle_idx').on('sessions').column('idle_expires_at').execute();
  await db.schema.createIndex('sessions_absolute_idx').on('sessions').column('absolute_expires_at').execute();

  await db.schema
    .createTable('oidc_transactions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('client_key', 'text', (c) => c.notNull())
    .addColumn('provider_id', 'text', (c) => c.notNull())
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('return_to', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('oidc_transactions_client_idx').on('oidc_transactions').columns(['client_key', 'expires_at']).execute();
  await db.schema.createIndex('oidc_transactions_expiry_idx').on('oidc_transactions').column('expires_at').execute();

  await db.schema
    .createTable('logout_token_jtis')
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('jti', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('logout_token_jtis_pk', ['issuer', 'jti'])
    .execute();
  await db.schema.createIndex('logout_token_jtis_expiry_idx').on('logout_token_jtis').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['logout_token_jtis', 'oidc_transactions', 'sessions']) {
    await db.schema.dropTable(table).execute();
  }
}
