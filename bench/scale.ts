// `npm run bench -- scale`: does a big database slow the routes clients call? Per store (SQLite, then PostgreSQL when
// reachable), a large database (BENCH_SCALE_ROWS users, default 1,000,000, each with a grant, an SSO identity and a live
// session) against a small one (1,000 of each), both seeded in bulk before their servers start (bench/lib/scale-seed.ts).
// Credentials: BENCH_SCALE_SAMPLE (300) users spread evenly over the table, their session cookies and personal access
// tokens sent round-robin. Rows, large / small (target >= 0.9 each):
//  - loggedInUser and the gateway's forward-auth check with the session cookies, and loggedInUser with the tokens, on
//    servers with the default caches: the figure of a real deployment, where each session row is read at most once per
//    5 s (session cache) and the user, the principal and the verified token come from memory;
//  - loggedInUser with the cookies and with the tokens on servers whose caches hold one entry ("cold"): every request
//    reads the session or token record, the user, the grants and the identities, so index depth and page misses show.
// Runs: BENCH_ROUNDS (3) interleaved rounds of BENCH_SECONDS (2) per variant, the order of small and large swapped each
// round; the median of the per-round ratios, their spread, and the servers' CPU per request.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type autocannon from 'autocannon';
import pg from 'pg';
import { CONNECTIONS, cpuMs, measure, ratioLine, startServer, type Measured, type Server } from './lib/harness.js';
import { dropPostgres, seedPostgres, seedSqlite, type Seeded } from './lib/scale-seed.js';

const ROWS = Number(process.env['BENCH_SCALE_ROWS'] ?? 1_000_000);
const SMALL = 1_000;
const SAMPLE = Number(process.env['BENCH_SCALE_SAMPLE'] ?? 300);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 2);
const PG_ADMIN = process.env['BENCH_SCALE_PG'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const ME = '/api/v1/users/loggedInUser';
const CHECK = '/api/v1/gateway/auth-request';
// What nginx sends to the check (deploy/gateway/nginx.conf), minus the credential; the same as bench/gateway.ts.
const ORIGINAL = { host: '127.0.0.1', 'x-original-uri': '/tables?limit=10', 'x-original-url': 'http://127.0.0.1/tables?limit=10', 'x-original-method': 'GET', 'x-forwarded-proto': 'http' };

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-scale-'));
const rules = join(dir, 'gateway.yaml');
writeFileSync(rules, ['gateway:', '  default: deny', '  rules:', '    - { pathPrefix: /, allow: authenticated }', ''].join('\n'));
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

/** autocannon options that send the credentials one after the other, request by request, over every connection. */
function roundRobin(path: string, headers: readonly Record<string, string>[]): Omit<autocannon.Options, 'url'> {
  let next = 0;
  const setupRequest = (req: autocannon.Request): autocannon.Request => ({ ...req, headers: { ...req.headers, ...headers[next++ % headers.length] } });
  return { requests: [{ method: 'GET', path, setupRequest }] };
}

interface Size {
  label: string;
  seeded: Seeded;
  url: string;
  /** The PostgreSQL database's name (none for SQLite, which runs inside the server's process). */
  database?: string;
  warm?: Server;
  cold?: Server;
}

/** The warm server of each size first (it issues the tokens), then the cold one: one database, one signing key. */
async function startServers(sizes: Size[]): Promise<void> {
  await Promise.all(sizes.map(async (size) => {
    const data = join(dir, `data-${size.label}`);
    mkdirSync(data, { recursive: true });
    const users = join(data, 'users.txt');
    writeFileSync(users, size.seeded.sample.map((s) => s.userId).join('\n'));
    size.warm = await startServer('bench/servers/scale-gatehouse.ts', ['--db', size.url, '--data', data, '--gateway', rules, '--users', users]);
    size.cold = await startServer('bench/servers/scale-gatehouse.ts', ['--db', size.url, '--data', data, '--gateway', rules, '--cold']);
  }));
}

/** CPU (ms) of the PostgreSQL backends serving database `name` (both servers' pools; the idle one adds next to nothing). */
async function backendsCpu(name: string): Promise<Map<number, number>> {
  const client = new pg.Client({ connectionString: PG_ADMIN });
  await client.connect();
  try {
    const rows = await client.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [name]);
    return new Map(rows.rows.map((r) => [r.pid, cpuMs(r.pid) ?? 0]));
  } finally {
    await client.end();
  }
}

/**
 * One run, its CPU per request counting the database's work too when it runs in other processes (PostgreSQL): table
 * size costs show there, not in Gatehouse's process. A backend that started during the run counts from zero.
 */
async function measureRun(name: string, size: Size, server: Server, path: string, options: Omit<autocannon.Options, 'url'>, warm: boolean): Promise<Measured> {
  const before = size.database ? await backendsCpu(size.database) : undefined;
  const m = await measure(name, server, path, options, warm, SECONDS);
  if (!size.database || !before || m.cpuUs === null || !m.requests) return m;
  let dbMs = 0;
  for (const [pid, ms] of await backendsCpu(size.database)) dbMs += ms - (before.get(pid) ?? 0);
  const dbUs = (dbMs * 1000) / m.requests;
  console.log(`  ${''.padEnd(58)} + PostgreSQL backends ${dbUs.toFixed(1)} µs/request = ${(m.cpuUs + dbUs).toFixed(1)} µs/request`);
  return { ...m, cpuUs: m.cpuUs + dbUs };
}

async function measureStore(store: string, small: Size, large: Size): Promise<void> {
  const sizes = [small, large];
  console.log(`${store}: seeding (bulk) and size on disk`);
  for (const s of sizes) console.log(`  ${s.label.padEnd(28)} ${s.seeded.rows.toLocaleString('en')} users + sessions in ${s.seeded.seconds.toFixed(1)} s, ${s.seeded.sizeMb.toFixed(0)} MB`);
  if (small.database) console.log('  server CPU below = the Gatehouse process + the PostgreSQL backends of its database');
  const started = performance.now();
  await startServers(sizes);
  console.log(`  4 servers started and ${SAMPLE} tokens issued per size in ${((performance.now() - started) / 1000).toFixed(1)} s; load average ${load()}`);
  const cookiesOf = (s: Size) => s.seeded.sample.map((u) => ({ cookie: `gatehouse_session=${u.sessionSecret}` }));
  const tokensOf = (s: Size) => readFileSync(String(s.warm?.info['pats']), 'utf8').split('\n').map((t) => ({ authorization: `Bearer ${t}` }));
  const variants = [
    { name: 'loggedInUser, session cookies', server: (s: Size) => s.warm, path: ME, headers: cookiesOf },
    { name: 'forward-auth check, session cookies', server: (s: Size) => s.warm, path: CHECK, headers: (s: Size) => cookiesOf(s).map((c) => ({ ...ORIGINAL, ...c })) },
    { name: 'loggedInUser, personal access tokens', server: (s: Size) => s.warm, path: ME, headers: tokensOf },
    { name: 'loggedInUser, session cookies, cold caches', server: (s: Size) => s.cold, path: ME, headers: cookiesOf },
    { name: 'loggedInUser, personal access tokens, cold caches', server: (s: Size) => s.cold, path: ME, headers: tokensOf },
  ];
  const runs = variants.map(() => ({ small: [] as Measured[], large: [] as Measured[] }));
  for (let r = 0; r < ROUNDS; r++) {
    console.log(`  round ${r + 1} (load average ${load()})`);
    for (const [v, variant] of variants.entries()) {
      const order = r % 2 === 0 ? [small, large] : [large, small];
      for (const size of order) {
        const server = variant.server(size);
        if (!server) throw new Error('server missing');
        const m = await measureRun(`${size === small ? 'small' : 'large'}: ${variant.name}`, size, server, variant.path, roundRobin(variant.path, variant.headers(size)), r === 0);
        runs[v]?.[size === small ? 'small' : 'large'].push(m);
      }
    }
  }
  console.log('');
  for (const [v, variant] of variants.entries()) {
    const run = runs[v] as { small: Measured[]; large: Measured[] };
    console.log(`  ${ratioLine(`${store}, ${variant.name}: ${ROWS.toLocaleString('en')} / ${SMALL.toLocaleString('en')}`, '>= 0.9', run.large, run.small)}`);
  }
}

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_ADMIN, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

// `sqlite` or `postgres` measures one store (each within the 3-minute budget; `npm run bench -- scale-sqlite
// scale-postgres`); no argument measures both.
const only = process.argv[2];
if (only !== undefined && only !== 'sqlite' && only !== 'postgres') {
  console.error(`scale: unknown store "${only}" (sqlite or postgres, or nothing for both)`);
  process.exit(2);
}
const began = performance.now();
console.log(`scale: ${ROWS.toLocaleString('en')} vs ${SMALL.toLocaleString('en')} users, ${SAMPLE} credentials of each kind round-robin, ` +
  `${SECONDS}s runs (1 s warm-up in the first round), ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds; load average ${load()}`);
const seed = randomBytes(16).toString('hex');
const servers: Size[] = [];
const stop = () => {
  for (const s of servers.splice(0)) for (const server of [s.warm, s.cold]) server?.stop();
};
try {
  if (only !== 'postgres') {
    // SQLite: two files, each written by the seeder, then opened by two servers.
    const sqlite = await Promise.all([SMALL, ROWS].map(async (rows) => {
      const file = join(dir, `scale-${rows}.db`);
      return { label: `sqlite ${rows.toLocaleString('en')}`, seeded: await seedSqlite(file, rows, seed, SAMPLE, `sqlite ${rows.toLocaleString('en')}`), url: `sqlite:${file}` };
    }));
    servers.push(...sqlite);
    await measureStore('SQLite', sqlite[0] as Size, sqlite[1] as Size);
    stop();
  }
  if (only === 'sqlite') {
    // PostgreSQL not asked for.
  } else if (await postgresReachable()) {
    const names = [SMALL, ROWS].map((rows) => `gatehouse_bench_scale_${rows}`);
    try {
      const postgres: Size[] = [];
      for (const [i, rows] of [SMALL, ROWS].entries()) {
        const seeded = await seedPostgres(PG_ADMIN, names[i] as string, rows, seed, SAMPLE, `postgres ${rows.toLocaleString('en')}`);
        postgres.push({ label: `postgres ${rows.toLocaleString('en')}`, seeded, url: seeded.url, database: names[i] as string });
      }
      servers.push(...postgres);
      await measureStore('PostgreSQL', postgres[0] as Size, postgres[1] as Size);
      stop();
    } finally {
      stop();
      for (const name of names) await dropPostgres(PG_ADMIN, name);
    }
  } else {
    console.log(`PostgreSQL skipped: ${PG_ADMIN.replace(/:[^:@/]*@/, ':***@')} not reachable (BENCH_SCALE_PG sets the server; the benchmark creates and drops its own databases)`);
  }
} finally {
  stop();
  rmSync(dir, { recursive: true, force: true });
  console.log(`scale: done in ${((performance.now() - began) / 1000).toFixed(0)} s; load average ${load()}`);
}
