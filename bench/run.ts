// `npm run bench`: bearer authentication cost, measured against baselines in the same run (never asserted in tests).
// 1. Gatehouse, same route, without and with a bot token (target: >= 0.85 of the unauthenticated throughput).
// 2. Gatehouse with the token vs express + express-jwt + jwks-rsa with the same token (target: >= 5x).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';

const DURATION = Number(process.env['BENCH_SECONDS'] ?? 5);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 4);
const CONNECTIONS = 32;

// On a small machine the load generator and the server fight over the same cores and the scheduler's choices swing
// throughput by +-20 % between identical runs. Pinning the servers to the last CPU and this process to the first
// (when taskset exists) removes most of that noise; without it the numbers are still printed, only noisier.
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

async function startServer(script: string, args: string[] = []): Promise<{ child: ChildProcess; info: Record<string, string> }> {
  const [command, argv] = serverCommand(['--import', 'tsx', script, ...args]);
  const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  // The server's own log lines (JSON too) may come first; the ready line is the one with a port.
  for (;;) {
    const [line] = (await once(lines, 'line')) as [string];
    const parsed = JSON.parse(line) as Record<string, string>;
    if (parsed['port']) return { child, info: parsed };
  }
}

interface Measured {
  rps: number;
  /** Server CPU per request (µs), when /proc is available: less noisy than throughput on a shared machine. */
  cpuUs: number | null;
}

async function measure(name: string, server: ChildProcess, url: string, headers: Record<string, string>): Promise<Measured> {
  // A short warm-up fills caches and lets the JIT settle before the measured run.
  await autocannon({ url, headers, connections: CONNECTIONS, duration: 1 });
  const before = cpuMs(server.pid);
  const result = await autocannon({ url, headers, connections: CONNECTIONS, duration: DURATION });
  const after = cpuMs(server.pid);
  const bad = result.non2xx + result.errors;
  if (bad > 0) throw new Error(`${name}: ${bad} failed requests`);
  const cpuUs = before === null || after === null ? null : ((after - before) * 1000) / result.requests.total;
  const cpu = cpuUs === null ? '' : `  server CPU ${cpuUs.toFixed(1)} µs/request`;
  console.log(`${name.padEnd(46)} ${result.requests.average.toFixed(0).padStart(7)} req/s  p99 ${String(result.latency.p99).padStart(3)} ms${cpu}`);
  return { rps: result.requests.average, cpuUs };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

const gatehouse = await startServer('bench/servers/gatehouse.ts');
const base = `http://127.0.0.1:${gatehouse.info['port']}`;
const token = String(gatehouse.info['token']);
const issuer = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()).iss as string;
const reference = await startServer('bench/servers/express-reference.ts', [`${base}/api/v1/system/config/jwks`, issuer]);
const refBase = `http://127.0.0.1:${reference.info['port']}`;
const route = '/api/v1/system/version';
const auth = { authorization: `Bearer ${token}` };
try {
  console.log(`Each run: ${DURATION}s after a 1 s warm-up, ${CONNECTIONS} connections, GET ${route}, loopback, ${cpus} CPUs, ` +
    (pinned ? `servers pinned to CPU ${cpus - 1}, load generator to CPU 0.` : 'no CPU pinning (taskset missing): expect noise.'));
  // Interleaved rounds, so drift of the shared machine hits every variant alike; each round gives its own ratio.
  const runs = { plain: [] as Measured[], padded: [] as Measured[], bearer: [] as Measured[] };
  for (let r = 0; r < ROUNDS; r++) {
    runs.bearer.push(await measure('gatehouse, bot bearer token', gatehouse.child, `${base}${route}`, auth));
    runs.plain.push(await measure('gatehouse, no credentials', gatehouse.child, `${base}${route}`, {}));
    // Same request size as the bearer run, without credentials: separates HTTP parsing of a ~1 KB header from auth work.
    runs.padded.push(await measure('gatehouse, no credentials, same-size header', gatehouse.child, `${base}${route}`, { 'x-padding': `Bearer ${token}` }));
  }
  const express = await measure('express + express-jwt + jwks-rsa, same token', reference.child, `${refBase}${route}`, auth);
  const perRound = (a: Measured[], b: Measured[]) => a.map((m, i) => m.rps / (b[i] as Measured).rps);
  const show = (values: number[]) => values.map((v) => v.toFixed(2)).join(' ');
  const vsPlain = perRound(runs.bearer, runs.plain);
  const vsPadded = perRound(runs.bearer, runs.padded);
  const bearerRps = mean(runs.bearer.map((m) => m.rps));
  console.log('');
  console.log(`ratio bearer / unauthenticated (target >= 0.85): median ${median(vsPlain).toFixed(2)}  (rounds: ${show(vsPlain)})`);
  console.log(`ratio bearer / unauthenticated with a same-size header: median ${median(vsPadded).toFixed(2)}  (rounds: ${show(vsPadded)})`);
  console.log(`ratio gatehouse / express-jwt reference (target >= 5): ${(bearerRps / express.rps).toFixed(2)}`);
  const cpu = (list: Measured[]) => list.map((m) => m.cpuUs).filter((v): v is number => v !== null);
  if (cpu(runs.bearer).length && cpu(runs.plain).length) {
    const cost = median(cpu(runs.bearer)) - median(cpu(runs.plain));
    console.log(`server CPU per request: bearer ${median(cpu(runs.bearer)).toFixed(1)} µs, unauthenticated ${median(cpu(runs.plain)).toFixed(1)} µs (medians; difference ${cost.toFixed(1)} µs)`);
  }
} finally {
  gatehouse.child.kill('SIGTERM');
  reference.child.kill('SIGTERM');
}
