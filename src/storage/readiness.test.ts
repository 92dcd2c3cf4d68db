import { describe, expect, it } from 'vitest';
import { migrateToLatest } from './migrate.js';
import { openDatabase } from './open-database.js';
import { readStorageReadiness } from './readiness.js';

describe('readStorageReadiness', () => {
  it('is ready only when the database answers and every migration ran', async () => {
    const handle = openDatabase({ url: ':memory:' });
    try {
      expect(await readStorageReadiness(handle)).toEqual({ ready: false, database: 'ok', migrations: 'pending: run `gatehouse migrate`' });
      await migrateToLatest(handle);
      expect(await readStorageReadiness(handle)).toEqual({ ready: true, database: 'ok', migrations: 'ok' });
    } finally {
      await handle.close();
    }
  });

  it('reports an unreachable database, and the migrations as unknown', async () => {
    // Port 9 (discard) has no PostgreSQL: every connection is refused at once.
    const handle = openDatabase({ url: 'postgres://postgres@127.0.0.1:9/none', poolSize: 1 });
    try {
      await expect(handle.ping()).rejects.toThrow();
      expect(await readStorageReadiness(handle)).toEqual({ ready: false, database: 'unreachable', migrations: 'unknown' });
    } finally {
      await handle.close();
    }
  });
});
