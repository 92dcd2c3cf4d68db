import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freshPostgresDatabase, SKIP_POSTGRES, terminateConnections } from '../support/databases.js';
import { serveProcess } from '../support/serve-process.js';

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-dbloss-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const serve = (env: Record<string, string>) => serveProcess({ GATEHOUSE_DATA_DIR: dir, ...env });

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
