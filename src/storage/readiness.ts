import { migrationsApplied } from './migrate.js';
import type { DatabaseHandle } from './open-database.js';

/** What /readyz reports about the database. */
export interface StorageReadiness {
  ready: boolean;
  database: string;
  migrations: string;
}

/** Ready means reachable and fully migrated; an unreachable database leaves the migrations' state unknown. */
export async function readStorageReadiness(handle: DatabaseHandle): Promise<StorageReadiness> {
  try {
    await handle.ping();
    const migrations = (await migrationsApplied(handle)) ? 'ok' : 'pending: run `gatehouse migrate`';
    return { ready: migrations === 'ok', database: 'ok', migrations };
  } catch {
    return { ready: false, database: 'unreachable', migrations: 'unknown' };
  }
}
