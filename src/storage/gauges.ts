import type { Kysely } from 'kysely';
import type { Database } from './schema/index.js';

/**
 * Live browser sessions right now (both expiries ahead), for the metrics scrape: one count over the idle-expiry index.
 * Ended sessions are deleted, so nothing else needs filtering.
 */
export async function countActiveSessions(db: Kysely<Database>, now: number): Promise<number> {
  const row = await db
    .selectFrom('sessions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('idle_expires_at', '>', now)
    .where('absolute_expires_at', '>', now)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
