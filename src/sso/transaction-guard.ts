import { GatehouseError } from '../errors/index.js';
import type { Clock, Logger } from '../shared/index.js';
import type { OidcTransactionStore } from '../storage/index.js';
import type { SignInLimits } from './sign-in-types.js';

/**
 * Keeps sign-in transactions bounded: a per-client cap on sign-ins in progress, a global cap, and an opportunistic
 * sweep of expired rows (at most once per interval per process), so a flood of /signin requests cannot fill the
 * database. Expired rows are refused at the callback anyway; the sweep only reclaims space.
 */
export function createTransactionGuard(deps: { transactions: OidcTransactionStore; clock: Clock; logger: Logger; limits: SignInLimits }) {
  const { transactions, clock, logger } = deps;
  const perClient = deps.limits.perClient ?? 10;
  const maxLive = deps.limits.maxLive ?? 10_000;
  const sweepMs = (deps.limits.sweepIntervalSeconds ?? 60) * 1000;
  let lastSweep = -Infinity;

  async function sweep(): Promise<number> {
    lastSweep = clock.now();
    return transactions.deleteExpired(lastSweep);
  }

  return {
    /** Throws RATE_LIMITED when this client or everyone together has too many sign-ins in progress. */
    async admit(clientKey: string): Promise<void> {
      const now = clock.now();
      if (now - lastSweep >= sweepMs) {
        await sweep().catch((err: unknown) => logger.warn({ err: String(err) }, 'sweeping sign-in transactions failed'));
      }
      if ((await transactions.countLiveForClient(clientKey, now)) >= perClient) {
        throw new GatehouseError('RATE_LIMITED', 'Too many sign-ins were started from your network; wait a few minutes.');
      }
      if ((await transactions.countLive(now)) >= maxLive) {
        logger.warn({ maxLive }, 'too many sign-ins in progress; refusing new ones until some finish or expire');
        throw new GatehouseError('RATE_LIMITED', 'Too many sign-ins are in progress; wait a few minutes.');
      }
    },
    sweep,
  };
}
