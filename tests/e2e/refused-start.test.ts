import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freshPostgresDatabase, SKIP_POSTGRES } from '../support/databases.js';

const ROOT = join(import.meta.dirname, '..', '..');
const ENTRY = join(ROOT, 'tests', 'fixtures', 'cli', 'gatehouse-from-source.ts');
const dir = mkdtempSync(join(tmpdir(), 'gatehouse-refused-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `gatehouse serve` as a process; resolves with its exit code and stderr, or code null when it outlived `limitMs`. */
function serve(env: Record<string, string>, limitMs: number): Promise<{ code: number | null; stderr: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, 'serve'], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', GATEHOUSE_DATA_DIR: dir, SERVER_PORT: '0', GATEHOUSE_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ code: null, stderr, ms: Date.now() - started });
    }, limitMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, ms: Date.now() - started });
    });
  });
}

// A start refused for an unreadable signing key must end the process with a non-zero code, so that systemd's
// Restart=on-failure and Kubernetes see it; a process that stays up with nothing listening hides the failure.
const missingKey = { RSA_PRIVATE_KEY_FILE_PATH: join(dir, 'missing', 'private_key.der') };

describe('a refused start exits non-zero at once', () => {
  it('on SQLite', async () => {
    const result = await serve({ ...missingKey, DATABASE_URL: `sqlite:${join(dir, 'refused.db')}` }, 15_000);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/gatehouse serve: [\s\S]*private_key\.der/);
  });

  it.skipIf(SKIP_POSTGRES)('on PostgreSQL (the change feed and the pool are closed too)', async () => {
    const database = await freshPostgresDatabase();
    try {
      const result = await serve({ ...missingKey, DATABASE_URL: database.url }, 15_000);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/gatehouse serve: [\s\S]*private_key\.der/);
    } finally {
      await database.dispose();
    }
  });
});
