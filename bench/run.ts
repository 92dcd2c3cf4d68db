// `npm run bench` runs every benchmark but the long ones (soak); `npm run bench -- <name> [<name>…]` runs the named ones. Each is a script of its
// own (bench/<name>.ts, runnable alone with `npx tsx bench/<name>.ts`) that prints ratios against baselines measured in
// the same run; each runs in its own process, one after the other, so none shares an event loop or a CPU with another.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** `long`: runs only when named (minutes, not seconds). */
const BENCHMARKS: Readonly<Record<string, { file: string; about: string; args?: string[]; long?: true }>> = {
  bearer: { file: 'bench/bearer.ts', about: 'loggedInUser with a cached bot token vs /healthz, fastify + jose + LRU, express-jwt' },
  'first-use': { file: 'bench/first-use.ts', about: 'personal access tokens each sent once vs jose.jwtVerify per request' },
  storm: { file: 'bench/storm.ts', about: 'bearer traffic while clients sign in with passwords back to back' },
  gateway: { file: 'bench/gateway.ts', about: 'forward-auth decision (session, bearer) vs /healthz; nginx → check → upstream vs nginx → upstream' },
  propagation: { file: 'bench/propagation.ts', about: 'three instances on one PostgreSQL: a revocation, logout, role change or key rotation on one, seen on the others' },
  'scale-sqlite': { file: 'bench/scale.ts', args: ['sqlite'], about: 'BENCH_SCALE_ROWS (1,000,000) users and sessions vs 1,000 in SQLite: session cookie and bearer, warm and cold caches' },
  'scale-postgres': { file: 'bench/scale.ts', args: ['postgres'], about: 'the same in PostgreSQL (skipped when it is not reachable)' },
  footprint: { file: 'bench/footprint.ts', about: 'the compiled service: start-up to ready, RSS idle and loaded' },
  soak: { file: 'bench/soak.ts', about: 'mixed load for BENCH_SOAK_MINUTES (10): errors, RSS slope, throughput (only when named)', long: true },
};

const asked = process.argv.slice(2);
const unknown = asked.filter((n) => !(n in BENCHMARKS));
if (unknown.length) {
  console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Choose from:`);
  for (const [name, b] of Object.entries(BENCHMARKS)) console.error(`  ${name.padEnd(15)} ${b.about}`);
  process.exit(2);
}
let failed = 0;
for (const name of asked.length ? asked : Object.keys(BENCHMARKS).filter((n) => !BENCHMARKS[n]?.long)) {
  const { file, about, args = [] } = BENCHMARKS[name] as { file: string; about: string; args?: string[] };
  console.log(`\n=== ${name}: ${about}`);
  if (!existsSync(file)) {
    console.log(`(skipped: ${file} is not in this tree)`);
    continue;
  }
  const started = Date.now();
  const run = spawnSync(process.execPath, ['--import', 'tsx', file, ...args], { stdio: 'inherit' });
  console.log(`=== ${name}: ${run.status === 0 ? 'done' : `FAILED (exit ${run.status})`} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (run.status !== 0) failed += 1;
}
process.exit(failed ? 1 : 0);
