// `npm run bench -- soak` (or `npx tsx bench/soak.ts`): a bounded mixed load for BENCH_SOAK_MINUTES (default 10) on one
// Gatehouse process (SQLite, pinned to its own CPU): users signing in (session cookie and API password sign-in), session
// and bearer calls, personal access tokens created and revoked, bot tokens issued and revoked, sign-outs; every refusal
// that must follow a revocation or sign-out is checked. It reports errors (must be zero; exit 1 otherwise), the server's
// RSS and heap over time with their slope after the warm-up (flat means no leak), and throughput. Not in the default
// `npm run bench` run: it is long.
import { setTimeout as sleep } from 'node:timers/promises';
import { cpus, pinned, rssMb, startServer } from './lib/harness.js';
import { botChurnRound, KINDS, loop, steadyBearer, Tally, userRound, type SoakInfo } from './lib/soak-load.js';
import { slopePerMinute } from './lib/trend.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const MINUTES = env('BENCH_SOAK_MINUTES', 10);
const WARMUP_MINUTES = env('BENCH_SOAK_WARMUP_MINUTES', Math.min(2, MINUTES * 0.2));
const USERS = env('BENCH_SOAK_USERS', 4);
const CALLS_PER_ROUND = env('BENCH_SOAK_CALLS', 5);
const USER_PAUSE_MS = env('BENCH_SOAK_USER_PAUSE_MS', 200);
const BEARER_PER_SECOND = env('BENCH_SOAK_BEARER_RATE', 100);
const BEARER_WORKERS = 4;
const SAMPLE_SECONDS = env('BENCH_SOAK_SAMPLE_SECONDS', 5);
/** Growth above this (second-half RSS, or heap after the warm-up) is reported as not flat (judged only on a window of 5 minutes or more). */
const MAX_SLOPE_MB_PER_MINUTE = env('BENCH_SOAK_MAX_SLOPE', 1);

interface Sample {
  minutes: number;
  rss: number | null;
  heap: number | null;
  sessions: number | null;
  total: number;
}

const server = await startServer('bench/servers/soak-gatehouse.ts', [String(USERS)]);
const info = server.info as unknown as SoakInfo;
const tally = new Tally();
let serverErrors = 0;
let serverWarnings = 0;
const logSamples: string[] = [];
server.lines.on('line', (line: string) => {
  const level = (() => {
    try {
      return Number((JSON.parse(line) as { level?: number }).level ?? 0);
    } catch {
      return 50; // not a log line: something wrote to stdout outside the logger
    }
  })();
  if (level >= 50) serverErrors += 1;
  else if (level >= 40) serverWarnings += 1;
  if (level >= 40 && logSamples.length < 5) logSamples.push(line.slice(0, 300));
});

/** The process's heap and the live-session gauge, from its own /metrics (open in development). */
async function scrape(): Promise<{ heap: number | null; sessions: number | null }> {
  try {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    const value = (name: string) => {
      const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
      return match ? Number(match[1]) : null;
    };
    const heap = value('nodejs_heap_size_used_bytes');
    return { heap: heap === null ? null : heap / 1024 / 1024, sessions: value('gatehouse_active_sessions') };
  } catch {
    return { heap: null, sessions: null };
  }
}

const mb = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(0)} MB`);
console.log(`Soak: ${MINUTES} min (warm-up ${WARMUP_MINUTES.toFixed(1)} min), ${USERS} users in rounds (${CALLS_PER_ROUND} calls per credential, ` +
  `${USER_PAUSE_MS} ms pause), steady bot bearer at ${BEARER_PER_SECOND}/s, bot-token churn once a second; SQLite; ${cpus} CPUs, ` +
  (pinned ? `server pinned to CPU ${cpus - 1}, load to CPU 0.` : 'no CPU pinning (taskset missing).'));

const started = performance.now();
const until = started + MINUTES * 60_000;
const samples: Sample[] = [];
let last = { at: started, ok: { ...tally.ok } };
const sampler = (async () => {
  while (performance.now() < until) {
    await sleep(SAMPLE_SECONDS * 1000);
    const now = performance.now();
    const { heap, sessions } = await scrape();
    const sample = { minutes: (now - started) / 60_000, rss: rssMb(server.child.pid), heap, sessions, total: tally.total() };
    samples.push(sample);
    const seconds = (now - last.at) / 1000;
    const rates = KINDS.map((k) => `${k} ${((tally.ok[k] - last.ok[k]) / seconds).toFixed(1)}/s`).join('  ');
    console.log(`  ${sample.minutes.toFixed(1).padStart(5)} min  RSS ${mb(sample.rss)}  heap ${mb(heap)}  sessions ${sessions ?? 'n/a'}  errors ${tally.errors}  | ${rates}`);
    last = { at: now, ok: { ...tally.ok } };
  }
})();

try {
  await Promise.all([
    sampler,
    ...info.users.map((user) => loop(until, USER_PAUSE_MS, () => userRound(tally, info, user, CALLS_PER_ROUND))),
    ...Array.from({ length: BEARER_WORKERS }, () => loop(until, 0, () => steadyBearer(tally, info, BEARER_PER_SECOND / BEARER_WORKERS))),
    loop(until, 1000, () => botChurnRound(tally, info)),
  ]);
} finally {
  server.stop();
}

const seconds = (performance.now() - started) / 1000;
const afterWarmup = samples.filter((s) => s.minutes >= WARMUP_MINUTES);
const window = MINUTES - WARMUP_MINUTES;
const trend = (pick: (s: Sample) => number | null, from = WARMUP_MINUTES) => {
  const points = afterWarmup.filter((s) => s.minutes >= from).flatMap((s) => (pick(s) === null ? [] : [{ x: s.minutes, y: pick(s) as number }]));
  const values = points.map((p) => p.y);
  return { slope: slopePerMinute(points), first: values[0] ?? null, last: values.at(-1) ?? null, min: Math.min(...values), max: Math.max(...values), n: points.length };
};
const rss = trend((s) => s.rss);
const heap = trend((s) => s.heap);
// RSS follows the request rate too (buffers, sockets, GC headroom), and after the warm-up's peak the allocator hands
// memory back and then takes it again until the working set settles (on a quiet machine: minutes 2 to 6, then flat).
// A leak keeps rising; settling stops. So the verdict is the second half's RSS slope (still rising = leak) and the
// heap's slope over the whole window (the JavaScript objects themselves); the whole-window RSS slope is printed too.
const lateRss = trend((s) => s.rss, WARMUP_MINUTES + window / 2);
const judged = window >= 5;
const within = (t: typeof rss) => t.slope !== null && t.slope <= MAX_SLOPE_MB_PER_MINUTE;
const flat = within(lateRss) && within(heap);

console.log('');
console.log(`throughput over ${seconds.toFixed(0)} s: ${(tally.total() / seconds).toFixed(1)} checked requests/s in all; ` +
  KINDS.map((k) => `${k} ${tally.ok[k]} (${(tally.ok[k] / seconds).toFixed(1)}/s)`).join(', '));
console.log(`errors (must be 0): ${tally.errors} unexpected answers; server log: ${serverErrors} error lines, ${serverWarnings} warnings`);
for (const s of [...tally.samples, ...logSamples]) console.log(`  ${s}`);
const line = (name: string, t: typeof rss) =>
  `${name} after warm-up (${t.n} samples): ${mb(t.first)} -> ${mb(t.last)} (min ${mb(t.n ? t.min : null)}, max ${mb(t.n ? t.max : null)}), ` +
  `slope ${t.slope === null ? 'n/a' : `${t.slope >= 0 ? '+' : ''}${t.slope.toFixed(2)} MB/min`}`;
console.log(line('RSS', rss));
console.log(line('heap used', heap));
console.log(line('RSS, second half only', lateRss));
console.log(`memory: ${!judged ? `not judged (${window.toFixed(1)} min after warm-up; 5 or more needed)` : flat ? `flat (second-half RSS and heap slopes <= ${MAX_SLOPE_MB_PER_MINUTE} MB/min)` : `GROWING (second-half RSS or heap slope > ${MAX_SLOPE_MB_PER_MINUTE} MB/min)`}`);
process.exit(tally.errors > 0 || serverErrors > 0 || (judged && !flat) ? 1 : 0);
