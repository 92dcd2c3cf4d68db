import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

export const NGINX = '/usr/sbin/nginx';
export const CADDY = '/usr/bin/caddy';

/** Why the real-proxy tests cannot run (the binaries are missing), or null. CI installs both (apt: nginx caddy). */
export function proxySkipReason(binary: string): string | null {
  return existsSync(binary) ? null : `${binary} is not installed (apt-get install ${binary.endsWith('nginx') ? 'nginx' : 'caddy'})`;
}

export { freePort };

async function waitForPort(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`process exited (${child.exitCode}): ${output()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on ${port}: ${output()}`);
}

export interface RunningProcess {
  readonly port: number;
  output(): string;
  stop(): Promise<void>;
}

function run(command: string, args: string[], port: number, options: { env?: NodeJS.ProcessEnv; cleanup?: string } = {}): Promise<RunningProcess> {
  const child = spawn(command, args, { env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout?.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (text += d.toString()));
  const running: RunningProcess = {
    port,
    output: () => text.slice(-4000),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (options.cleanup) rmSync(options.cleanup, { recursive: true, force: true });
    },
  };
  return waitForPort(port, child, running.output).then(() => running, async (error: unknown) => {
    await running.stop();
    throw error;
  });
}

/** The shipped config with its example addresses replaced by the test's ports. */
export function shippedConfig(file: string, replacements: readonly (readonly [string | RegExp, string])[]): string {
  let text = readFileSync(file, 'utf8');
  for (const [from, to] of replacements) {
    const next = text.replace(typeof from === 'string' ? new RegExp(from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g') : from, to);
    if (next === text) throw new Error(`${file}: "${String(from)}" not found; the shipped config changed`);
    text = next;
  }
  return text;
}

/** nginx with deploy/gateway/nginx.conf (its port, Gatehouse's and the upstream's substituted). */
export async function startNginx(port: number, gatehousePort: number, upstreamPort: number): Promise<RunningProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-nginx-'));
  // Workers run as "nobody" when nginx starts as root: they need to reach their temp folders.
  chmodSync(dir, 0o755);
  for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
    mkdirSync(join(dir, sub));
    chmodSync(join(dir, sub), 0o777);
  }
  const temp = ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((s) => `${s === 'body' ? 'client_body' : s}_temp_path ${join(dir, s)};`).join(' ');
  const conf = shippedConfig('deploy/gateway/nginx.conf', [
    ['127.0.0.1:8585', `127.0.0.1:${gatehousePort}`],
    ['127.0.0.1:8080', `127.0.0.1:${upstreamPort}`],
    ['listen 80;', `listen 127.0.0.1:${port};`],
    // The test's own additions: writable temp folders and no access log in /var/log.
    [/^http \{$/m, `http {\n  access_log off; ${temp}`],
  ]);
  writeFileSync(join(dir, 'nginx.conf'), conf);
  return run(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', `daemon off; pid ${join(dir, 'nginx.pid')}; error_log stderr;`], port, { cleanup: dir });
}

/** Caddy with deploy/gateway/Caddyfile (addresses substituted), its state in a temporary HOME. */
export async function startCaddy(port: number, gatehousePort: number, upstreamPort: number): Promise<RunningProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-caddy-'));
  const conf = shippedConfig('deploy/gateway/Caddyfile', [
    ['127.0.0.1:8585', `127.0.0.1:${gatehousePort}`],
    ['127.0.0.1:8080', `127.0.0.1:${upstreamPort}`],
    ['http://data.example.com {', `http://127.0.0.1:${port} {`],
  ]);
  writeFileSync(join(dir, 'Caddyfile'), conf);
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir, XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'data') };
  return run(CADDY, ['run', '--config', join(dir, 'Caddyfile'), '--adapter', 'caddyfile'], port, { env, cleanup: dir });
}

// The upstream: answers every request with what it received, raw header names and repeats included.
const ECHO_SERVER = `
const http = require('node:http');
http.createServer((req, res) => {
  const body = JSON.stringify({ method: req.method, url: req.url, rawHeaders: req.rawHeaders });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}).listen(Number(process.argv[1]), '127.0.0.1');
`;

/** A tiny real upstream process that echoes the request line and headers it received as JSON. */
export async function startEchoUpstream(): Promise<RunningProcess> {
  const port = await freePort();
  return run(process.execPath, ['-e', ECHO_SERVER, String(port)], port);
}

/** What the echo upstream saw. */
export interface Echo {
  method: string;
  url: string;
  rawHeaders: string[];
}

/** Every value of a header the upstream received, matching names case-insensitively and `_` as `-`. */
export function receivedHeader(echo: Echo, name: string): string[] {
  const wanted = name.toLowerCase().replaceAll('_', '-');
  const values: string[] = [];
  for (let i = 0; i + 1 < echo.rawHeaders.length; i += 2) {
    if (echo.rawHeaders[i]?.toLowerCase().replaceAll('_', '-') === wanted) values.push(echo.rawHeaders[i + 1] ?? '');
  }
  return values;
}
