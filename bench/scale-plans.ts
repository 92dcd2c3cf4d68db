// The profile behind bench/scale.ts's cold rows: the statements a request with cold caches sends, run directly against a
// small and a large seeded database (BENCH_SCALE_ROWS, default 1,000,000, vs 1,000), with their plans and their cost per
// statement. SQLite: EXPLAIN QUERY PLAN and the time of each prepared statement over the sampled keys (in process).
// PostgreSQL: EXPLAIN (ANALYZE, BUFFERS) of each over the sampled keys: planning and execution time, pages touched.
// Run with `npx tsx bench/scale-plans.ts` (about as long as the seeding of bench/scale.ts); not part of `npm run bench`.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { dropPostgres, seedPostgres, seedSqlite, type SampledUser } from './lib/scale-seed.js';

const ROWS = Number(process.env['BENCH_SCALE_ROWS'] ?? 1_000_000);
const SMALL = 1_000;
const SAMPLE = 300;
const PG_ADMIN = process.env['BENCH_SCALE_PG'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const REPEAT = 20;

/** The hot statements of a cold request (the stores' SQL), each with the sampled value it is looked up by. */
const STATEMENTS: readonly { name: string; sql: string; key: (u: SampledUser, hash: (s: string) => string) => string }[] = [
  { name: 'session by token hash', sql: 'select * from sessions where token_hash = $1', key: (u, hash) => hash(u.sessionSecret) },
  { name: 'user by id', sql: 'select * from users where id = $1', key: (u) => u.userId },
  {
    name: 'grants of a user', key: (u) => u.userId,
    sql: 'select roles.*, user_roles.source as source from user_roles inner join roles on roles.id = user_roles.role_id where user_roles.user_id = $1 order by roles.name',
  },
  { name: 'identities of a user', sql: 'select * from identities where user_id = $1 order by created_at', key: (u) => u.userId },
];

const hashOf = (s: string): string => createHash('sha256').update(s).digest('hex');

async function sqlitePlans(dir: string, seed: string): Promise<void> {
  const results: Record<string, { plan: string; us: number }>[] = [];
  for (const rows of [SMALL, ROWS]) {
    const file = join(dir, `plans-${rows}.db`);
    const seeded = await seedSqlite(file, rows, seed, SAMPLE, `sqlite ${rows.toLocaleString('en')}`);
    const db = new SQLite(file, { readonly: true });
    const out: Record<string, { plan: string; us: number }> = {};
    for (const s of STATEMENTS) {
      const text = s.sql.replace('$1', '?');
      const plan = (db.prepare(`explain query plan ${text}`).all('x') as { detail: string }[]).map((r) => r.detail).join('; ');
      const statement = db.prepare(text);
      const keys = seeded.sample.map((u) => s.key(u, hashOf));
      const started = performance.now();
      for (let i = 0; i < REPEAT; i++) for (const key of keys) statement.all(key);
      out[s.name] = { plan, us: ((performance.now() - started) * 1000) / (REPEAT * keys.length) };
    }
    db.close();
    results.push(out);
  }
  console.log(`\nSQLite (in process, each statement ${REPEAT} × ${SAMPLE} keys; µs per statement, large vs small):`);
  for (const s of STATEMENTS) {
    const [small, large] = [results[0]?.[s.name], results[1]?.[s.name]];
    console.log(`  ${s.name.padEnd(22)} ${large?.us.toFixed(1).padStart(6)} vs ${small?.us.toFixed(1).padStart(6)} µs   plan: ${large?.plan}`);
  }
}

async function postgresPlans(seed: string): Promise<void> {
  const results: Record<string, { plan: string; planMs: number; execMs: number; hit: number; read: number }>[] = [];
  const names = [SMALL, ROWS].map((rows) => `gatehouse_bench_plans_${rows}`);
  try {
    for (const [i, rows] of [SMALL, ROWS].entries()) {
      const seeded = await seedPostgres(PG_ADMIN, names[i] as string, rows, seed, SAMPLE, `postgres ${rows.toLocaleString('en')}`);
        const client = new pg.Client({ connectionString: seeded.url });
      await client.connect();
      const out: Record<string, { plan: string; planMs: number; execMs: number; hit: number; read: number }> = {};
      for (const s of STATEMENTS) {
        const sum = { plan: '', planMs: 0, execMs: 0, hit: 0, read: 0 };
        for (const u of seeded.sample) {
          const res = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode; 'Planning Time': number; 'Execution Time': number }] }>(
            `explain (analyze, buffers, format json) ${s.sql}`, [s.key(u, hashOf)]);
          const [top] = res.rows[0]?.['QUERY PLAN'] ?? [];
          if (!top) continue;
          sum.plan = describe(top.Plan);
          sum.planMs += top['Planning Time'];
          sum.execMs += top['Execution Time'];
          sum.hit += top.Plan['Shared Hit Blocks'] ?? 0;
          sum.read += top.Plan['Shared Read Blocks'] ?? 0;
        }
        const n = seeded.sample.length;
        out[s.name] = { plan: sum.plan, planMs: sum.planMs / n, execMs: sum.execMs / n, hit: sum.hit / n, read: sum.read / n };
      }
      await client.end();
      results.push(out);
    }
  } finally {
    for (const name of names) await dropPostgres(PG_ADMIN, name);
  }
  console.log(`\nPostgreSQL (EXPLAIN ANALYZE over ${SAMPLE} keys, per statement: planning + execution µs, shared pages hit/read; large vs small):`);
  for (const s of STATEMENTS) {
    const [small, large] = [results[0]?.[s.name], results[1]?.[s.name]];
    const f = (r: typeof small) => (r ? `${(r.planMs * 1000).toFixed(0)} + ${(r.execMs * 1000).toFixed(0)} µs, ${r.hit.toFixed(1)}/${r.read.toFixed(1)} pages` : '-');
    console.log(`  ${s.name.padEnd(22)} ${f(large)}  vs  ${f(small)}   plan: ${large?.plan}`);
  }
}

interface PlanNode { 'Node Type': string; 'Index Name'?: string; 'Relation Name'?: string; 'Shared Hit Blocks'?: number; 'Shared Read Blocks'?: number; Plans?: PlanNode[] }
const describe = (node: PlanNode): string =>
  [`${node['Node Type']}${node['Index Name'] ? ` ${node['Index Name']}` : node['Relation Name'] ? ` ${node['Relation Name']}` : ''}`, ...(node.Plans ?? []).map(describe)].join(' > ');

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-plans-'));
const seed = randomBytes(16).toString('hex');
console.log(`scale-plans: ${ROWS.toLocaleString('en')} vs ${SMALL.toLocaleString('en')} users; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
try {
  await sqlitePlans(dir, seed);
  await postgresPlans(seed);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
