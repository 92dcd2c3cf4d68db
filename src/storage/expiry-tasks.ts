import type { Kysely } from 'kysely';
import type { Clock } from '../shared/index.js';
import type { PurgeTask } from './expiry-sweep.js';
import type { Database } from './schema/index.js';
import { createApiTokenStore } from './stores/api-token-store.js';
import { createEndedSignInStore } from './stores/ended-sign-in-store.js';
import { createLoginAttemptStore } from './stores/login-attempt-store.js';
import { createLogoutTokenReplayStore, createOidcTransactionStore } from './stores/oidc-transaction-store.js';
import { createRefreshTokenStore } from './stores/refresh-token-store.js';
import { createSessionStore } from './stores/session-store.js';

const DAY_MS = 86_400_000;

/**
 * One purge per table with expiring rows (stores hold no state, so the sweep has its own). Cut-offs: a token record
 * outlives its exp by the clock skew the verifier allows (at least a day); a failure counter is forgotten a day after
 * its last attempt; the other rows go at their own expiry.
 */
export function expiryPurgeTasks(db: Kysely<Database>, options: { clock: Clock; clockSkewSeconds: number }): PurgeTask[] {
  const { clock } = options;
  const tokenRecordGraceMs = Math.max(DAY_MS, options.clockSkewSeconds * 1000);
  return [
    { table: 'sessions', purge: (limit) => createSessionStore(db).purgeExpired(clock.now(), limit) },
    { table: 'oidc_transactions', purge: (limit) => createOidcTransactionStore(db).purgeExpired(clock.now(), limit) },
    { table: 'logout_token_jtis', purge: (limit) => createLogoutTokenReplayStore(db).purgeExpired(clock.now(), limit) },
    { table: 'refresh_tokens', purge: (limit) => createRefreshTokenStore(db).purgeExpired(clock.now(), limit) },
    { table: 'api_tokens', purge: (limit) => createApiTokenStore(db).purgeExpired(clock.now() - tokenRecordGraceMs, limit) },
    { table: 'login_attempts', purge: (limit) => createLoginAttemptStore(db).purgeExpired(clock.now() - DAY_MS, limit) },
    { table: 'ended_sign_ins', purge: (limit) => createEndedSignInStore(db).purgeExpired(clock.now(), limit) },
  ];
}
