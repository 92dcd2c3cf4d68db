import type { GatehouseConfig } from '../config/index.js';
import { GatehouseError } from '../errors/index.js';
import { startupProblems, startupRefusal } from './startup-checks.js';
import { readStartupFacts, type FactSource } from './startup-facts.js';

/**
 * Refuses what `gatehouse config check` refuses, on what this start would leave behind (default roles seeded,
 * bootstrap admins created), so both give one verdict with the same messages. `seed` writes those accounts; it runs
 * only when nothing but bootstrap admins is missing: they must exist for `gatehouse admin set-password` before a
 * production start, and nothing else is written when the start is refused.
 */
export async function refuseUnsafeStart<T>(config: GatehouseConfig, database: FactSource, seed: () => Promise<T>): Promise<T> {
  const facts = await readStartupFacts(config, database);
  // The database was just migrated; failing to read it here is an outage, not a new database.
  if (facts.databaseNote) throw new GatehouseError('STORAGE_UNAVAILABLE', facts.databaseNote);
  const problems = await startupProblems(facts);
  if (problems.some((p) => p.check !== 'bootstrap-admin')) throw startupRefusal(problems);
  const seeded = await seed();
  if (problems.length > 0) throw startupRefusal(problems);
  return seeded;
}
