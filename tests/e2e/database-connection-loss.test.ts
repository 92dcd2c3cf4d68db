import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freshPostgresDatabase, SKIP_POSTGRES, terminateConnections } from '../support/databases.js';

const ROOT = join(import.meta.dirname, '..', '..');
const ENTRY = join(ROOT, 'tests', 'fixtures', 'cli', 'gatehouse-from-source.ts');
const dir = mkdtempSync(join(tmpdir(), 'gatehouse-dbloss-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts `gatehouse serve` as a process and resolves with its URL once it listens. */
function serve(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, 'serve'], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', GATEHOUSE_DATA_DIR: dir, SERVER_PORT: '0', GATEHOUSE_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gatehouse did not start: ${stderr}`)), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: match[1], stderr: () => stderr });
      }
    });
    child.on('exit', (code) => reject(new Error(`gatehouse exited (${code}) before listening: ${stderr}`)));
  });
}

const readyz = (url: string) => fetch(`${url}/readyz`).then((r) => r.status, () => 0);

// Every instance used to die at once when PostgreSQL restarted: pg reported the dropped connection as an 'error' event
// that nothing handled. The process must stay up and be ready again as soon as connections can be made.
describe.skipIf(SKIP_POSTGRES)('a Gatehouse process on PostgreSQL', () => {
  it('stays up when every database connection is killed under load, and is ready again after', async () => {
    const database = await freshPostgresDatabase();
    const running = await serve({ DATABASE_URL: database.url, GATEHOUSE_ADMIN_PASSWORD: 'initial-Admin-pass-1' });
    try {
      expect(await readyz(running.url)).toBe(200);
      for (let round = 0; round < 5; round++) {
        const load = Array.from({ length: 30 }, () => readyz(running.url));
        await sleep(round * 3);
        expect(await terminateConnections(database.name)).toBeGreaterThan(0);
        const statuses = await Promise.all(load);
        // 0: no answer at all, the process is gone.
        expect(statuses.every((s) => s === 200 || s === 503), `round ${round}: ${statuses.join(' ')}\n${running.stderr()}`).toBe(true);
      }
      await sleep(300);
      expect(running.child.exitCode, running.stderr()).toBeNull();
      let status = await readyz(running.url);
      for (let i = 0; i < 50 && status !== 200; i++) {
        await sleep(100);
        status = await readyz(running.url);
      }
      expect(status).toBe(200);
    } finally {
      if (running.child.exitCode === null && running.child.signalCode === null) {
        const exited = new Promise((resolve) => running.child.once('exit', resolve));
        running.child.kill('SIGTERM');
        await exited;
      }
      await database.dispose();
    }
  });
});
