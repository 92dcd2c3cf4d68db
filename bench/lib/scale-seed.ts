// Bulk seeding for the scale benchmark (bench/scale.ts): N users, each with the DataConsumer grant, an SSO identity and
// one live browser session, written before the server starts, in the fastest honest way per store (SQLite: one
// transaction of chunked INSERT … SELECT over a recursive CTE; PostgreSQL: one INSERT per chunk over generate_series with
// data-modifying CTEs). Rows are what Gatehouse writes: UUID ids, the schema made by the real migrations, the default
// roles seeded by the real start-up code, and a session's token_hash the SHA-256 (hex) of a 256-bit base64url secret.
import { createHash, randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, openSync, statSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { systemClock } from '../../src/shared/index.js';
import { createRoleStore, migrateToLatest, openDatabase } from '../../src/storage/index.js';
import { seedDefaultRoles } from '../../src/users/index.js';

/** A seeded user whose credentials the benchmark sends. */
export interface SampledUser {
  index: number;
  userId: string;
  /** The session cookie's value (its SHA-256 is in sessions.token_hash). */
  sessionSecret: string;
}

export interface Seeded {
  rows: number;
  seconds: number;
  sizeMb: number;
  sample: SampledUser[];
}

const CHUNK = 50_000;
const TABLES = ['users', 'user_roles', 'identities', 'sessions'];
const ISSUER = 'https://idp.example.com';
// Defaults of sessions.idleSeconds and sessions.absoluteSeconds: seeded sessions live as long as fresh ones.
const IDLE_MS = 28_800_000;
const ABSOLUTE_MS = 604_800_000;

/** The cookie value of session `i`: 32 bytes derived from a per-run seed, base64url like randomSecret(32). */
export const sessionSecret = (seed: string, i: number): string => createHash('sha256').update(`${seed}:${i}`).digest('base64url');
const sha256Hex = (value: string): string => createHash('sha256').update(value).digest('hex');

/** `count` indices spread evenly over 0..rows-1 (so the rows read are all over the tables, not one hot corner). */
export function spread(rows: number, count: number): number[] {
  const n = Math.min(rows, count);
  return Array.from({ length: n }, (_, k) => Math.floor(((k + 0.5) * rows) / n));
}

/** One line on stderr, rewritten in place. */
function progress(label: string, done: number, total: number, started: number): void {
  const width = 30;
  const filled = Math.round((done / total) * width);
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(`\r  ${label.padEnd(24)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done.toLocaleString('en')}/${total.toLocaleString('en')} users ${seconds.toFixed(1)} s`);
  if (done === total) process.stderr.write('\n');
}

/** Schema by the real migrations, default roles by the real start-up code; returns DataConsumer's id. */
async function prepareSchema(url: string): Promise<string> {
  const handle = openDatabase({ url });
  try {
    await migrateToLatest(handle);
    const roles = createRoleStore(handle.db);
    await seedDefaultRoles(roles, systemClock);
    const consumer = (await roles.list()).find((r) => r.name === 'DataConsumer');
    if (!consumer) throw new Error('DataConsumer role missing after seeding the defaults');
    return consumer.id;
  } finally {
    await handle.close();
  }
}

/** Seeds a fresh SQLite file (it must not exist yet). */
export async function seedSqlite(file: string, rows: number, seed: string, sampleCount: number, label: string): Promise<Seeded> {
  const started = performance.now();
  const roleId = await prepareSchema(`sqlite:${file}`);
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  // This connection only: a page cache that holds the indexes being filled, and no fsync per page spill (a crash
  // while seeding means seeding again). The server opens the file with its own settings.
  db.pragma('cache_size = -1000000');
  db.pragma('synchronous = OFF');
  const secondary = db.prepare(`select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${TABLES.map((t) => `'${t}'`).join(', ')})`).all() as { name: string; sql: string }[];
  db.function('uuid', { deterministic: false }, () => randomUUID());
  db.function('session_hash', { deterministic: true }, (i: unknown) => sha256Hex(sessionSecret(seed, Number(i))));
  const now = Date.now();
  const values = { now, idle: now + IDLE_MS, absolute: now + ABSOLUTE_MS, roleId, issuer: ISSUER };
  const users = db.prepare(`insert into users (id, name, email, display_name, is_admin, is_bot, disabled, password_hash, must_change_password, is_bootstrap, created_at, updated_at)
    with recursive n(i) as (select cast(:from as integer) union all select i + 1 from n where i + 1 < :to)
    select uuid(), 'scale-user-' || i, 'scale-user-' || i || '@example.com', 'Scale User ' || i, 0, 0, 0, null, 0, 0, :now, :now from n`);
  // The chunk's users are the rows after the last rowid seen; the user's number is in its name.
  const chunkUsers = `from users where rowid > :after`;
  const num = `cast(substr(name, 12) as integer)`;
  const grants = db.prepare(`insert into user_roles (user_id, role_id, source, created_at) select id, :roleId, 'manual', :now ${chunkUsers}`);
  const identities = db.prepare(`insert into identities (issuer, subject, user_id, email, created_at, last_login_at) select :issuer, 'sub-' || ${num}, id, email, :now, :now ${chunkUsers}`);
  const sessions = db.prepare(`insert into sessions (id, token_hash, user_id, created_at, last_seen_at, idle_expires_at, absolute_expires_at, user_agent, ip)
    select uuid(), session_hash(${num}), id, :now, :now, :idle, :absolute, 'Mozilla/5.0 (scale bench)', '127.0.0.1' ${chunkUsers}`);
  const lastRowid = db.prepare('select coalesce(max(rowid), 0) as r from users').pluck();
  db.transaction(() => {
    // Secondary indexes built once after the load (a sorted build) instead of row by row; the same definitions.
    for (const index of secondary) db.exec(`drop index ${index.name}`);
    for (let from = 0; from < rows; from += CHUNK) {
      const after = lastRowid.get() as number;
      users.run({ from, to: Math.min(rows, from + CHUNK), now });
      grants.run({ after, roleId: values.roleId, now });
      identities.run({ after, issuer: values.issuer, now });
      sessions.run({ after, now, idle: values.idle, absolute: values.absolute });
      progress(label, Math.min(rows, from + CHUNK), rows, started);
    }
    for (const index of secondary) db.exec(index.sql);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  const byName = db.prepare('select id from users where name = ?').pluck();
  const sample = spread(rows, sampleCount).map((index) => ({ index, userId: String(byName.get(`scale-user-${index}`)), sessionSecret: sessionSecret(seed, index) }));
  db.close();
  // Seeding ends when the data is on disk: left dirty in the page cache, it made the first fsync of a server's write
  // (a session's once-a-minute touch) wait for the whole file to be written back, stalling that server for seconds.
  const fd = openSync(file, 'r+');
  fsyncSync(fd);
  closeSync(fd);
  return { rows, seconds: (performance.now() - started) / 1000, sizeMb: statSync(file).size / 2 ** 20, sample };
}

/** Creates database `name` on the server of `adminUrl` (dropping a leftover of an earlier run) and seeds it. */
export async function seedPostgres(adminUrl: string, name: string, rows: number, seed: string, sampleCount: number, label: string): Promise<Seeded & { url: string }> {
  const started = performance.now();
  await dropPostgres(adminUrl, name);
  await withClient(adminUrl, (c) => c.query(`create database ${name}`));
  const url = Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
  const roleId = await prepareSchema(url);
  const now = Date.now();
  // base64url of sha256(seed:i), then its SHA-256 in hex: the same as sessionSecret() and sha256Hex() above.
  const secret = `rtrim(translate(encode(sha256(convert_to($1::text || ':' || substr(u.name, 12), 'UTF8')), 'base64'), '+/', '-_'), '=')`;
  const chunk = `with u as (
      insert into users (id, name, email, display_name, is_admin, is_bot, disabled, password_hash, must_change_password, is_bootstrap, created_at, updated_at)
      select gen_random_uuid()::text, 'scale-user-' || i, 'scale-user-' || i || '@example.com', 'Scale User ' || i, 0, 0, 0, null, 0, 0, $4::bigint, $4::bigint
      from generate_series($2::int, $3::int - 1) as i
      returning id, name, email
    ), g as (
      insert into user_roles (user_id, role_id, source, created_at) select id, $5::text, 'manual', $4::bigint from u
    ), ident as (
      insert into identities (issuer, subject, user_id, email, created_at, last_login_at) select $6::text, 'sub-' || substr(name, 12), id, email, $4::bigint, $4::bigint from u
    )
    insert into sessions (id, token_hash, user_id, created_at, last_seen_at, idle_expires_at, absolute_expires_at, user_agent, ip)
    select gen_random_uuid()::text, encode(sha256(convert_to(s.secret, 'UTF8')), 'hex'), u.id, $4::bigint, $4::bigint, $7::bigint, $8::bigint, 'Mozilla/5.0 (scale bench)', '127.0.0.1'
    from u cross join lateral (select ${secret} as secret) s`;
  const sample = await withClient(url, async (c) => {
    await c.query('begin');
    await c.query(`set local maintenance_work_mem = '256MB'`);
    // Secondary indexes (not the primary keys and unique constraints) are dropped and built once after the load, with
    // the same definitions; foreign-key triggers are off for this transaction: every row references a user inserted by
    // the same statement (RETURNING), so there is nothing for them to find.
    const secondary = await c.query<{ indexname: string; indexdef: string }>(
      `select indexname, indexdef from pg_indexes where schemaname = current_schema() and tablename = any($1)
       and indexname not in (select conname from pg_constraint)`, [TABLES]);
    for (const index of secondary.rows) await c.query(`drop index ${index.indexname}`);
    await c.query(`set local session_replication_role = replica`);
    for (let from = 0; from < rows; from += CHUNK) {
      await c.query(chunk, [seed, from, Math.min(rows, from + CHUNK), now, roleId, ISSUER, now + IDLE_MS, now + ABSOLUTE_MS]);
      progress(label, Math.min(rows, from + CHUNK), rows, started);
    }
    await c.query(`set local session_replication_role = origin`);
    for (const index of secondary.rows) await c.query(index.indexdef);
    await c.query('commit');
    // Fresh planner statistics, as autovacuum would have them on a table that grew over time.
    await c.query('analyze');
    // Written to disk now rather than by a checkpoint in the middle of the measurements.
    await c.query('checkpoint');
    const indices = spread(rows, sampleCount);
    const found = await c.query<{ id: string; name: string }>('select id, name from users where name = any($1)', [indices.map((i) => `scale-user-${i}`)]);
    const ids = new Map(found.rows.map((r) => [r.name, r.id]));
    return indices.map((index) => ({ index, userId: String(ids.get(`scale-user-${index}`)), sessionSecret: sessionSecret(seed, index) }));
  });
  const size = await withClient(url, (c) => c.query<{ bytes: string }>('select pg_database_size(current_database()) as bytes'));
  return { rows, seconds: (performance.now() - started) / 1000, sizeMb: Number(size.rows[0]?.bytes) / 2 ** 20, sample, url };
}

export async function dropPostgres(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}
