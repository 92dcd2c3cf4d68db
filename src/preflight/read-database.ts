import { existsSync } from 'node:fs';
import { sql } from 'kysely';
import type { GatehouseConfig } from '../config/index.js';
import { openDatabase } from '../storage/index.js';
import { readStartupFacts, type StartupFacts } from './startup-facts.js';

/** The facts plus whether the database could be reached at all (serve cannot start without it). */
export interface CheckedDatabase {
  facts: StartupFacts;
  /** Why the database cannot be reached; null when it can (or is a SQLite file serve will create). */
  unreachable: string | null;
}

/**
 * Reads the start-up facts from the configured database without changing it: no migration, no file created (a SQLite
 * file that does not exist yet is a new database), SQLite opened read-only, PostgreSQL only queried.
 */
export async function readConfiguredDatabase(config: GatehouseConfig): Promise<CheckedDatabase> {
  const url = config.database.url;
  const postgres = /^postgres(ql)?:\/\//.test(url);
  if (!postgres && !existsSync(url.replace(/^sqlite:(\/\/)?/, ''))) {
    return { facts: await readStartupFacts(config, null), unreachable: null };
  }
  let handle: ReturnType<typeof openDatabase>;
  try {
    handle = openDatabase({ url, readonly: true, poolSize: 1 });
  } catch (error) {
    return { facts: await readStartupFacts(config, null), unreachable: (error as Error).message };
  }
  try {
    await sql`select 1`.execute(handle.db);
  } catch (error) {
    await handle.close();
    return { facts: await readStartupFacts(config, null), unreachable: (error as Error).message.split('\n')[0] ?? 'unknown error' };
  }
  try {
    return { facts: await readStartupFacts(config, handle), unreachable: null };
  } finally {
    await handle.close();
  }
}
