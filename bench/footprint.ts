// `npm run bench -- footprint`: the compiled service as operators run it (`node bin/gatehouse.js serve`, from `npm run
// build`), not through tsx (whose loader thread has a heap of its own): start-up to ready, resident memory idle and
// under load (targets: < 2 s; < 150 / < 300 MB).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { freePort } from '../tests/support/free-port.js';
import { adminToken, apiClient, BENCH_ADMIN_PASSWORD } from './lib/api-setup.js';
import { CONNECTIONS, cpus, DURATION, median, pinned, rssMb, setupLine } from './lib/harness.js';

if (!existsSync('dist/cli/index.js')) {
  console.error('footprint measures the compiled service: run `npm run build` first.');
  process.exit(2);
}
const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-footprint-'));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const env = { ...process.env, GATEHOUSE_DATA_DIR: dataDir, SERVER_PORT: String(port), GATEHOUSE_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD, GATEHOUSE_LOG_LEVEL: 'warn' };

/** Starts `gatehouse serve` pinned to the server CPU; resolves with the time from spawn to the first 200 of /readyz. */
async function start(): Promise<{ child: ChildProcess; readyMs: number }> {
  const started = performance.now();
  const [command, args] = pinned ? ['taskset', ['-c', String(cpus - 1), process.execPath, 'bin/gatehouse.js', 'serve']] : [process.execPath, ['bin/gatehouse.js', 'serve']];
  const child = spawn(command as string, args as string[], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`gatehouse serve exited with ${child.exitCode}: ${stderr}`);
    const ok = await fetch(`${base}/readyz`).then((r) => r.ok, () => false);
    if (ok) return { child, readyMs: performance.now() - started };
    await new Promise((r) => setTimeout(r, 5));
  }
}
const stop = async (child: ChildProcess) => {
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
};
const mb = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(0)} MB`);

console.log(setupLine('footprint'));
try {
  // First start: creates the database, the development signing key and the bootstrap administrator (argon2).
  const first = await start();
  await new Promise((r) => setTimeout(r, 2000));
  const idle = rssMb(first.child.pid);
  const client = apiClient(base);
  const admin = await adminToken(client);
  const bot = await client.call('POST', '/api/v1/bots', { name: 'footprint-bot' }, admin);
  const generated = await client.call('PUT', `/api/v1/users/generateToken/${(bot['botUser'] as { id: string }).id}`, { JWTTokenExpiry: '7' }, admin);
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(first.child.pid) ?? 0)), 200);
  const result = await autocannon({ url: `${base}/api/v1/users/loggedInUser`, headers: { authorization: `Bearer ${String(generated['JWTToken'])}` }, connections: CONNECTIONS, duration: DURATION * 2 });
  clearInterval(sampler);
  const after = rssMb(first.child.pid);
  await stop(first.child);
  // Restarts on the same data: what a rolling update or a crash recovery waits for.
  const restarts: number[] = [];
  for (let i = 0; i < 3; i++) {
    const again = await start();
    restarts.push(again.readyMs);
    await stop(again.child);
  }
  console.log(`start-up to ready (/readyz 200), first start (new database, key, administrator): ${first.readyMs.toFixed(0)} ms (target < 2 s)`);
  console.log(`start-up to ready, restart on the same data: median ${median(restarts).toFixed(0)} ms (${restarts.map((r) => r.toFixed(0)).join(', ')}) (target < 2 s)`);
  console.log(`RSS idle ${mb(idle)} (target < 150 MB); loaded: peak ${mb(peak || null)} during ${DURATION * 2} s of loggedInUser at ${Math.round(result.requests.average)} req/s, ${mb(after)} after (target < 300 MB)`);
  if (result.non2xx || result.errors) throw new Error(`load run: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
