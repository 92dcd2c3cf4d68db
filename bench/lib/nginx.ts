// Debian's nginx for the gateway benchmark: deploy/gateway/nginx.conf with the benchmark's ports, as the real-proxy
// tests generate it (tests/support/proxies.ts), one worker, pinned to the servers' CPU.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpus, pinned } from './harness.js';
import { freePort } from '../../tests/support/free-port.js';

export const NGINX = '/usr/sbin/nginx';
export const nginxMissing = !existsSync(NGINX);

export { freePort };

function replaceAll(text: string, from: string | RegExp, to: string): string {
  const next = text.replace(typeof from === 'string' ? new RegExp(from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g') : from, to);
  if (next === text) throw new Error(`deploy/gateway/nginx.conf: "${String(from)}" not found; the shipped config changed`);
  return next;
}

export interface Nginx {
  readonly url: string;
  /** The master and its worker: their CPU is summed per request. */
  pids(): number[];
  stop(): Promise<void>;
}

/**
 * nginx with the shipped config. `direct`: the same file without its `auth_request` line, so the same headers are set
 * (empty identity variables) and only the Gatehouse check is missing: the baseline "nginx → upstream".
 */
export async function startNginx(gatehousePort: number, upstreamPort: number, direct: boolean): Promise<Nginx> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-nginx-'));
  chmodSync(dir, 0o755);
  const temp = ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((sub) => {
    mkdirSync(join(dir, sub));
    chmodSync(join(dir, sub), 0o777);
    return `${sub === 'body' ? 'client_body' : sub}_temp_path ${join(dir, sub)};`;
  }).join(' ');
  let conf = readFileSync('deploy/gateway/nginx.conf', 'utf8');
  conf = replaceAll(conf, '127.0.0.1:8585', `127.0.0.1:${gatehousePort}`);
  conf = replaceAll(conf, '127.0.0.1:8080', `127.0.0.1:${upstreamPort}`);
  conf = replaceAll(conf, 'listen 80;', `listen 127.0.0.1:${port};`);
  // One worker (the default, said out loud) and no access log: the benchmark measures the check, not log writes.
  conf = replaceAll(conf, /^events \{\}$/m, 'worker_processes 1;\nevents { worker_connections 1024; }');
  conf = replaceAll(conf, /^http \{$/m, `http {\n  access_log off; ${temp}`);
  if (direct) conf = replaceAll(conf, /^\s*auth_request \/_gatehouse_check;$/m, '');
  writeFileSync(join(dir, 'nginx.conf'), conf);
  const args = ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', `daemon off; pid ${join(dir, 'nginx.pid')}; error_log stderr;`];
  // taskset sets the master's affinity before exec; the worker it forks inherits it.
  const child: ChildProcess = pinned ? spawn('taskset', ['-c', String(cpus - 1), NGINX, ...args], { stdio: ['ignore', 'ignore', 'pipe'] }) : spawn(NGINX, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr?.on('data', (d: Buffer) => (errors += d.toString()));
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${errors}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
      socket.on('error', () => resolve(false));
    });
    if (open) break;
    if (Date.now() > deadline) throw new Error(`nginx does not listen: ${errors}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const master = child.pid as number;
  return {
    url: `http://127.0.0.1:${port}`,
    pids: () => [master, ...readdirSync(`/proc/${master}/task`).flatMap((task) => readFileSync(`/proc/${master}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number))],
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
