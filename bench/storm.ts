// `npx tsx bench/storm.ts` (or `npm run bench -- storm`): does a password sign-in storm starve bearer traffic?
// 1. Capacity: bearer GET /api/v1/users/loggedInUser (bot token) as fast as it goes.
// 2. Then, in interleaved rounds, without and with a storm of 20 clients (one user each) signing in with passwords back to
//    back: bearer p99 at a constant 25 % of that capacity (target < 10 ms), and bearer throughput (target storm/quiet
//    >= 0.5). The server runs with its defaults, except the per-address and per-account rate limits (off: see
//    bench/servers/storm-gatehouse.ts), so the hashing queue alone is measured.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';

const DURATION = Number(process.env['BENCH_SECONDS'] ?? 5);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const CLIENTS = Number(process.env['BENCH_STORM_CLIENTS'] ?? 20);
const CONNECTIONS = 32;
const ROUTE = '/api/v1/users/loggedInUser';

// Same pinning as bench/run.ts: the server on the last CPU, this process (load and storm clients) on the first.
const cpus = availableParallelism();
const pinned = cpus >= 2 && spawnSync('taskset', ['-p', '-c', '0', String(process.pid)], { stdio: 'ignore' }).status === 0;
const serverCommand = (args: string[]): [string, string[]] =>
  pinned ? ['taskset', ['-c', String(cpus - 1), process.execPath, ...args]] : [process.execPath, args];

/** CPU time (user + system, ms) a process used so far, from /proc on Linux; null elsewhere. */
function cpuMs(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

interface ServerInfo {
  port: string;
  token: string;
  users: Array<{ name: string; password: string }>;
}

async function startServer(): Promise<{ child: ChildProcess; info: ServerInfo }> {
  const [command, argv] = serverCommand(['--import', 'tsx', 'bench/servers/storm-gatehouse.ts', String(CLIENTS)]);
  const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  for (;;) {
    const [line] = (await once(lines, 'line')) as [string];
    const parsed = JSON.parse(line) as Partial<ServerInfo>;
    if (parsed.port && parsed.token && parsed.users) return { child, info: parsed as ServerInfo };
  }
}

interface StormStats {
  statuses: Record<string, number>;
  latenciesMs: number[];
  seconds: number;
}

/** Each client signs its own user in, again and again, as soon as the previous answer arrives. */
function startStorm(base: string, users: ServerInfo['users']): { stop(): Promise<StormStats> } {
  let running = true;
  const stats: StormStats = { statuses: {}, latenciesMs: [], seconds: 0 };
  const started = performance.now();
  const client = async (user: ServerInfo['users'][number]) => {
    const body = JSON.stringify({ username: user.name, password: user.password, passwordEncoding: 'plain' });
    while (running) {
      const t0 = performance.now();
      const res = await fetch(`${base}/api/v1/users/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      await res.arrayBuffer();
      stats.latenciesMs.push(performance.now() - t0);
      stats.statuses[res.status] = (stats.statuses[res.status] ?? 0) + 1;
    }
  };
  const clients = users.map((u) => client(u));
  return {
    async stop() {
      running = false;
      await Promise.all(clients);
      stats.seconds = (performance.now() - started) / 1000;
      return stats;
    },
  };
}

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  cpuUs: number | null;
}

async function measure(server: ChildProcess, url: string, headers: Record<string, string>, rate?: number): Promise<Measured> {
  const before = cpuMs(server.pid);
  // With overallRate autocannon sends at a fixed rate and corrects for coordinated omission (a late request counts
  // from when it should have been sent), so p99 is what a client at that rate would see.
  const result = await autocannon({ url, headers, connections: CONNECTIONS, duration: DURATION, ...(rate ? { overallRate: rate } : {}) });
  const after = cpuMs(server.pid);
  const bad = result.non2xx + result.errors;
  if (bad > 0) throw new Error(`${bad} failed bearer requests`);
  const cpuUs = before === null || after === null ? null : ((after - before) * 1000) / result.requests.total;
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, cpuUs };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};
const show = (values: number[], digits = 2) => values.map((v) => v.toFixed(digits)).join(' ');
const cpuText = (m: Measured) => (m.cpuUs === null ? '' : `  server CPU ${m.cpuUs.toFixed(0)} µs/request`);

const startedAt = performance.now();
const server = await startServer();
const base = `http://127.0.0.1:${server.info.port}`;
const url = `${base}${ROUTE}`;
const auth = { authorization: `Bearer ${server.info.token}` };
try {
  console.log(`Sign-in storm: GET ${ROUTE} with a bot token, ${CONNECTIONS} connections, ${DURATION} s per run, ${ROUNDS} rounds; ` +
    `${CLIENTS} storm clients (one user each); ${cpus} CPUs, ` +
    (pinned ? `server pinned to CPU ${cpus - 1}, load and storm clients to CPU 0.` : 'no CPU pinning (taskset missing): expect noise.'));
  await autocannon({ url, headers: auth, connections: CONNECTIONS, duration: 1 });
  const capacity = await measure(server.child, url, auth);
  const rate = Math.max(1, Math.round(capacity.rps * 0.25));
  console.log(`capacity (no storm): ${capacity.rps.toFixed(0)} req/s${cpuText(capacity)}; constant rate for latency: ${rate} req/s (25 %)`);

  const rounds = { quietMax: [] as Measured[], quietRate: [] as Measured[], stormMax: [] as Measured[], stormRate: [] as Measured[] };
  const storms: StormStats[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const qm = await measure(server.child, url, auth);
    const qr = await measure(server.child, url, auth, rate);
    const storm = startStorm(base, server.info.users);
    await sleep(1000); // let the hashing queue fill before measuring
    const sm = await measure(server.child, url, auth);
    const sr = await measure(server.child, url, auth, rate);
    const stats = await storm.stop();
    rounds.quietMax.push(qm);
    rounds.quietRate.push(qr);
    rounds.stormMax.push(sm);
    rounds.stormRate.push(sr);
    storms.push(stats);
    console.log(`round ${r + 1}: quiet ${qm.rps.toFixed(0)} req/s, p99 at ${rate}/s ${qr.p99} ms | storm ${sm.rps.toFixed(0)} req/s${cpuText(sm)}, ` +
      `p99 at ${rate}/s ${sr.p99} ms | sign-ins ${(stats.latenciesMs.length / stats.seconds).toFixed(1)}/s ${JSON.stringify(stats.statuses)}`);
  }
  const ratios = rounds.stormMax.map((m, i) => m.rps / (rounds.quietMax[i] as Measured).rps);
  const all = storms.flatMap((s) => s.latenciesMs);
  const statuses: Record<string, number> = {};
  for (const s of storms) for (const [code, n] of Object.entries(s.statuses)) statuses[code] = (statuses[code] ?? 0) + n;
  console.log('');
  console.log(`bearer p99 at 25 % of capacity, storm (target < 10 ms): median ${median(rounds.stormRate.map((m) => m.p99)).toFixed(1)} ms  (rounds: ${show(rounds.stormRate.map((m) => m.p99), 1)})`);
  console.log(`bearer p99 at 25 % of capacity, no storm: median ${median(rounds.quietRate.map((m) => m.p99)).toFixed(1)} ms  (rounds: ${show(rounds.quietRate.map((m) => m.p99), 1)})`);
  console.log(`bearer throughput storm / no storm (target >= 0.5): median ${median(ratios).toFixed(2)}  (rounds: ${show(ratios)})`);
  console.log(`storm sign-ins: ${all.length} answers ${JSON.stringify(statuses)}, latency p50 ${quantile(all, 0.5).toFixed(0)} ms, p99 ${quantile(all, 0.99).toFixed(0)} ms`);
  console.log(`total time ${((performance.now() - startedAt) / 1000).toFixed(0)} s`);
} finally {
  server.child.kill('SIGTERM');
}
