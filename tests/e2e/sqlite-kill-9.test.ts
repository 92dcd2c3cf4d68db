import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { serveProcess } from '../support/serve-process.js';

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-kill9-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const INITIAL = 'initial-Admin-pass-1';
const PASSWORD = 'Operator passphrase 42 kill';

// SQLite in WAL mode: a write is acknowledged (201) only after its transaction committed, so a process killed without
// warning (OOM killer, kill -9, node crash) loses no acknowledged write.
describe('kill -9 under write load on SQLite', () => {
  it('loses nothing that was acknowledged', async () => {
    const running = await serveProcess({ GATEHOUSE_DATA_DIR: dir, GATEHOUSE_ADMIN_PASSWORD: INITIAL });
    const post = (path: string, body: unknown, token?: string, method = 'POST') =>
      fetch(`${running.url}${path}`, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
    const first = (await (await post('/api/v1/users/login', { email: 'admin', password: b64(INITIAL) })).json()) as { accessToken: string };
    expect((await post('/api/v1/users/changePassword', { oldPassword: INITIAL, newPassword: PASSWORD, confirmPassword: PASSWORD }, first.accessToken, 'PUT')).status).toBe(200);
    const admin = ((await (await post('/api/v1/users/login', { email: 'admin', password: b64(PASSWORD) })).json()) as { accessToken: string }).accessToken;

    const acknowledged: string[] = [];
    let stop = false;
    // Eight writers creating users as fast as the server acknowledges them, until the process dies under them.
    const writer = async (w: number) => {
      for (let i = 0; !stop; i += 1) {
        const name = `load-${w}-${i}`;
        try {
          const res = await post('/api/v1/users', { name, email: `${name}@example.com` }, admin);
          if (res.status === 201) acknowledged.push(name);
        } catch {
          return; // connection refused or reset: the process is gone
        }
      }
    };
    const writers = Array.from({ length: 8 }, (_, w) => writer(w));
    while (acknowledged.length < 150) await sleep(20);
    running.child.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);
    const { signal } = await running.exited;
    expect(signal).toBe('SIGKILL');

    const db = new SQLite(join(dir, 'gatehouse.db'));
    try {
      const stored = new Set((db.prepare("select name from users where name like 'load-%'").all() as { name: string }[]).map((r) => r.name));
      const lost = acknowledged.filter((name) => !stored.has(name));
      expect(acknowledged.length).toBeGreaterThanOrEqual(150);
      expect(lost).toEqual([]);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  }, 120_000);
});
