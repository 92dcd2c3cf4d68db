// Several real `gatehouse serve` processes on one PostgreSQL database of their own (created for the run and dropped
// after it), as a deployment behind a load balancer runs them: each with its own pool, caches and LISTEN connection.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { cpus, pinned } from './harness.js';

/** Where the run may create and drop a database (trust auth on the loopback, as the tests' PostgreSQL). */
export const BENCH_POSTGRES_URL = process.env['BENCH_DATABASE_URL'] ?? process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface Instance {
  name: string;
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: BENCH_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** Why no database can be made here (the server does not answer), or null. */
export async function postgresMissing(): Promise<string | null> {
  const client = new pg.Client({ connectionString: BENCH_POSTGRES_URL, connectionTimeoutMillis: 2_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    return null;
  } catch (error) {
    return `no PostgreSQL answers at ${BENCH_POSTGRES_URL.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')} (${(error as { code?: string }).code ?? String(error)}); set BENCH_DATABASE_URL`;
  } finally {
    await client.end().catch(() => {});
  }
}

/** A fresh database (never the tests' tables); `drop` ends every connection to it and removes it. */
export async function createBenchDatabase(): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `gh_bench_prop_${randomBytes(5).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(BENCH_POSTGRES_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** Starts `gatehouse serve` (pinned to the servers' CPU like every bench server) and resolves once it listens. */
export async function startInstance(name: string, env: Record<string, string>): Promise<Instance> {
  const args = ['--import', 'tsx', 'bench/servers/serve-cli.ts', 'serve'];
  const [command, argv] = pinned ? ['taskset', ['-c', String(cpus - 1), process.execPath, ...args]] : [process.execPath, args];
  const child = spawn(command, argv, {
    env: { PATH: process.env['PATH'] ?? '', SERVER_PORT: '0', GATEHOUSE_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not listen within 90 s:\n${out}`)), 90_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before listening:\n${out}`)));
  });
  // Warnings (level 40) and errors after start-up are shown: a feed that lost its connection says so here.
  child.stdout?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (/"level":(4|5|6)0/.test(line)) console.log(`  [${name}] ${line.slice(0, 300)}`);
  });
  return {
    name, url, child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** A scratch data directory (the instances keep nothing there that matters: everything is in PostgreSQL). */
export function scratchDir(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'gatehouse-prop-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
