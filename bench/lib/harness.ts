// What every benchmark shares: CPU pinning, starting a server process, one measured run, medians and spreads.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createInterface, type Interface } from 'node:readline';
import autocannon from 'autocannon';

export const DURATION = Number(process.env['BENCH_SECONDS'] ?? 4);
export const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 4);
export const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 64);

// On a small machine the load generator and the server fight over the same cores and the scheduler's choices swing
// throughput by +-20 % between identical runs. Pinning the servers to the last CPU and this process to the first
// (when taskset exists) removes most of that noise; without it the numbers are still printed, only noisier.
export const cpus = availableParallelism();
export const pinned = cpus >= 2 && spawnSync('taskset', ['-p', '-c', '0', String(process.pid)], { stdio: 'ignore' }).status === 0;
const serverCommand = (args: string[]): [string, string[]] =>
  pinned ? ['taskset', ['-c', String(cpus - 1), process.execPath, ...args]] : [process.execPath, args];

export function setupLine(what: string): string {
  return `${what}: ${DURATION}s runs after a 1 s warm-up, ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds, loopback, ${cpus} CPUs, ` +
    (pinned ? `servers pinned to CPU ${cpus - 1}, load generator to CPU 0.` : 'no CPU pinning (taskset missing): expect noise.');
}

/** CPU time (user + system, ms) a process used so far, from /proc on Linux; null elsewhere. */
export function cpuMs(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

/** Resident memory of a process (MB), from /proc on Linux; null elsewhere. */
export function rssMb(pid: number | undefined): number | null {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
    return line ? Number(line.replace(/\D+/g, '')) / 1024 : null;
  } catch {
    return null;
  }
}

export interface Server {
  child: ChildProcess;
  info: Record<string, string>;
  /** Wall time from spawn to the ready line (ms). */
  readyMs: number;
  url: string;
  /** The server's stdout, line by line, after the ready line (its JSON log). */
  lines: Interface;
  stop(): void;
}

/** Starts `script` (TypeScript, through tsx) pinned to the server CPU; resolves on its JSON line that carries a port. */
export async function startServer(script: string, args: string[] = []): Promise<Server> {
  const started = performance.now();
  const [command, argv] = serverCommand(['--import', 'tsx', script, ...args]);
  const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  // The server's own log lines (JSON too) may come first; the ready line is the one with a port.
  for (;;) {
    const [line] = (await once(lines, 'line')) as [string];
    const parsed = JSON.parse(line) as Record<string, string>;
    if (parsed['port']) {
      return { child, info: parsed, readyMs: performance.now() - started, url: `http://127.0.0.1:${parsed['port']}`, lines, stop: () => void child.kill('SIGTERM') };
    }
  }
}

export interface Measured {
  rps: number;
  p99: number;
  /** Server CPU per request (µs), when /proc is available: less noisy than throughput on a shared machine. */
  cpuUs: number | null;
  /** Requests answered in the measured run. */
  requests?: number;
}

type Options = Omit<autocannon.Options, 'url'>;

/** One measured run of `seconds` against `server` (after a 1 s warm-up unless `warm` is false); every answer must be 2xx. */
export async function measure(name: string, server: Server, path: string, options: Options, warm = true, seconds = DURATION): Promise<Measured> {
  const url = `${server.url}${path}`;
  if (warm) await autocannon({ url, connections: CONNECTIONS, duration: 1, ...options });
  const before = cpuMs(server.child.pid);
  const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds, ...options });
  const after = cpuMs(server.child.pid);
  const bad = result.non2xx + result.errors;
  if (bad > 0) throw new Error(`${name}: ${bad} failed requests`);
  const cpuUs = before === null || after === null ? null : ((after - before) * 1000) / result.requests.total;
  const rps = result.requests.total / (result.duration || seconds);
  const cpu = cpuUs === null ? '' : `  server CPU ${cpuUs.toFixed(1)} µs/request`;
  console.log(`  ${name.padEnd(58)} ${rps.toFixed(0).padStart(7)} req/s  p99 ${String(result.latency.p99).padStart(3)} ms${cpu}`);
  return { rps, p99: result.latency.p99, cpuUs, requests: result.requests.total };
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/** "0.91 (rounds 0.88–0.95)": the median of per-round ratios with their spread. */
export function ratioLine(label: string, target: string, a: Measured[], b: Measured[]): string {
  const ratios = a.map((m, i) => m.rps / (b[i] as Measured).rps);
  const cpu = (list: Measured[]) => list.map((m) => m.cpuUs).filter((v): v is number => v !== null);
  const [ca, cb] = [cpu(a), cpu(b)];
  const cpuText = ca.length && cb.length ? `; server CPU ${median(ca).toFixed(0)} vs ${median(cb).toFixed(0)} µs/request (CPU ratio ${(median(cb) / median(ca)).toFixed(2)})` : '';
  return `${label} (target ${target}): median ${median(ratios).toFixed(2)} (rounds ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})${cpuText}`;
}
