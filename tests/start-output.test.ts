import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { printLast, quietInTerminal } from '../src/cli/commands/serve.js';
import { cliIo } from './support/cli-io.js';

const ROOT = join(import.meta.dirname, '..');
const ENTRY = join(ROOT, 'tests', 'fixtures', 'cli', 'gatehouse-from-source.ts');
const dir = mkdtempSync(join(tmpdir(), 'gatehouse-start-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// The example IdP on a free port, so the test never collides with a running `npm start`.
const idpConfig = join(dir, 'dev-idp.yaml');
writeFileSync(idpConfig, readFileSync(join(ROOT, 'config', 'dev-idp.example.yaml'), 'utf8').replace(/^port: 9090$/m, 'port: 0'));

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill('SIGTERM');
  child = undefined;
});

/** `gatehouse start` as a process (stdout a pipe, as under a test); resolves once `done(stdout)` holds. */
function start(env: Record<string, string>, done: (out: string) => boolean): Promise<{ out: () => string }> {
  let out = '';
  child = spawn(process.execPath, ['--import', 'tsx', ENTRY, 'start', '--dev-idp-config', idpConfig], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', GATEHOUSE_DATA_DIR: join(dir, 'data'), SERVER_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const proc = child;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start-up banner within 60 s:\n${out}`)), 60_000);
    proc.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (done(out)) {
        clearTimeout(timer);
        resolve({ out: () => out });
      }
    });
    proc.on('exit', (code) => reject(new Error(`gatehouse start exited with ${code}:\n${out}`)));
  });
}

const listening = (out: string) => /Gatehouse is running on (http:\/\/\S+):/.exec(out)?.[1];

describe('the documented server command', () => {
  it('`node bin/gatehouse.js serve` (the built checkout, no npx) listens within seconds', async () => {
    const started = Date.now();
    let out = '';
    child = spawn(process.execPath, [join(ROOT, 'bin', 'gatehouse.js'), 'serve'], {
      cwd: dir,
      env: { PATH: process.env['PATH'] ?? '', GATEHOUSE_DATA_DIR: join(dir, 'serve-data'), SERVER_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const proc = child;
    const url = await new Promise<string>((resolve, reject) => {
      proc.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const found = /listening on (http:\/\/\S+)/.exec(out)?.[1];
        if (found) resolve(found);
      });
      proc.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out}`)));
    });
    // About a second on an idle machine; the bound leaves room for a loaded CI machine, not for a reinstall (~80 s).
    expect(Date.now() - started).toBeLessThan(20_000);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  }, 30_000);
});

describe('npm start output in a terminal', () => {
  it('the one-time admin password comes last, after the banner, and requests do not scroll it away', async () => {
    const run = await start({}, (out) => /Bootstrap administrator "admin" created[^\n]*\n {4}\S+\n/.test(out));
    const base = listening(run.out()) as string;
    for (const path of ['/healthz', '/api/v1/system/version', '/signin', '/nope']) await fetch(`${base}${path}`);
    await new Promise((r) => setTimeout(r, 500));
    const lines = run.out().trimEnd().split('\n');
    const at = (pattern: RegExp) => lines.findIndex((l) => pattern.test(l));
    const order = [/^Gatehouse development IdP/, /^Gatehouse is running on /, /^Request log: warnings and errors only/, /^Bootstrap administrator "admin" created/];
    const positions = order.map(at);
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    // Nothing after the password, and no request log (JSON) lines in the banner for the four requests (a start-up
    // warning such as the development key's comes before it).
    expect(lines.at(-2)).toMatch(/^Bootstrap administrator "admin" created\. One-time password/);
    expect(lines.at(-1)).toMatch(/^ {4}\S{12,}$/);
    expect(lines.slice(positions[1]).filter((l) => l.startsWith('{'))).toEqual([]);
  }, 90_000);

  it('asked for (GATEHOUSE_LOG_LEVEL=info), the request log is there; a second start shows no password', async () => {
    const run = await start({ GATEHOUSE_LOG_LEVEL: 'info' }, (out) => out.includes('Stop with Ctrl+C.'));
    expect(run.out()).not.toContain('Request log: warnings and errors only');
    expect(run.out()).not.toContain('One-time password');
    expect(run.out()).toContain('with the one-time password printed at the first start');
    await fetch(`${listening(run.out()) as string}/healthz`);
    await new Promise((r) => setTimeout(r, 500));
    expect(run.out()).toMatch(/\{[^\n]*"url":"\/healthz"/);
  }, 90_000);

  it('`gatehouse serve` is quiet in a terminal only, and never over an explicit level', () => {
    const terminal = { ...cliIo({}).io, interactive: true };
    expect(quietInTerminal(terminal)).toEqual({ env: { GATEHOUSE_LOG_LEVEL: 'warn' }, quieted: true });
    expect(quietInTerminal({ ...terminal, env: { GATEHOUSE_LOG_LEVEL: 'debug' } })).toEqual({ env: { GATEHOUSE_LOG_LEVEL: 'debug' }, quieted: false });
    expect(quietInTerminal(cliIo({}).io)).toEqual({ env: {}, quieted: false });
    const printed = cliIo({});
    printLast(printed.io, true, ['Bootstrap administrator "admin" created. One-time password:', '    pw']);
    expect(printed.out).toEqual([
      'Request log: warnings and errors only (set GATEHOUSE_LOG_LEVEL=info to log every request).',
      '',
      'Bootstrap administrator "admin" created. One-time password:',
      '    pw',
    ]);
  });
});
