import type { AuditContext, AuditLog } from '../audit/index.js';
import type { HashSlot, PasswordHasher } from '../crypto/index.js';
import { GatehouseError } from '../errors/index.js';
import type { Clock } from '../shared/index.js';
import type { AttemptAdmission, LoginAttemptStore, UserRow, UserStore } from '../storage/index.js';
import type { SignInRateLimits } from './sign-in-rate-limits.js';

export interface PasswordCheckDeps {
  users: UserStore;
  attempts: LoginAttemptStore;
  audit: AuditLog;
  clock: Clock;
  hasher: PasswordHasher;
  limits: SignInRateLimits;
  policy: { maxLoginFailAttempts: number; accessBlockTimeSeconds: number; adminsOnly: boolean };
}

/** A login and password that passed: the user, and what the success's audit record says about the method. */
export interface VerifiedPassword {
  readonly user: UserRow;
  readonly details: { readonly method: 'password'; readonly breakGlass: boolean };
}

/**
 * Checks a login and password, in this order, each step cheaper than the next:
 * 1. the per-address and per-account rate limits (429, no work);
 * 2. a place in the bounded hashing queue (503 when full; nothing counted);
 * 3. the attempt counter (shared by every instance through the database): at most maxLoginFailAttempts checks of one
 *    account are counted (failures plus checks in flight), so parallel guesses cannot exceed the limit. An attempt
 *    refused because other checks are still in flight gets 429 (it was never judged, so "wrong password" would be a
 *    lie); one refused by a lock in force gets the same 401, after the same hashing work, as a wrong password.
 * Failures (and a lockout) are audited here; a success is audited by whoever turns it into a sign-in.
 */
export function createPasswordCheck(deps: PasswordCheckDeps) {
  const { users, attempts, audit, clock, policy } = deps;

  async function findByLogin(key: string): Promise<UserRow | undefined> {
    return key.includes('@') ? ((await users.findByEmail(key)) ?? (await users.findByName(key))) : users.findByName(key);
  }

  async function judge(slot: HashSlot, loginKey: string, password: string, context: AuditContext): Promise<VerifiedPassword> {
    const now = clock.now();
    const admission = await attempts.reserve(loginKey, now, policy.maxLoginFailAttempts);
    const locked = !admission.admitted && admission.lockedUntil !== null && admission.lockedUntil > now;
    if (!admission.admitted && !locked) {
      throw new GatehouseError('AUTH_SIGN_IN_RATE_LIMITED', 'Other sign-ins of this account are still being checked.', {
        internal: { retryAfterSeconds: 1, inFlight: admission.failures },
      });
    }
    let judged = false;
    try {
      const user = locked ? undefined : await findByLogin(loginKey);
      const ok = user?.password_hash ? await slot.verify(user.password_hash, password) : await slot.verifyAgainstDummy(password);
      judged = true;
      const usable = ok && user && user.disabled === 0 && user.is_bot === 0 && (!policy.adminsOnly || user.is_admin === 1);
      if (usable) {
        await attempts.clear(loginKey);
        return { user, details: { method: 'password', breakGlass: policy.adminsOnly } };
      }
      await recordFailure(admission, loginKey, user, ok, locked, context, now);
    } finally {
      // An error before the verdict (database, hashing) must not leave a check counted forever: the count would sit
      // at the limit with no lock to expire, refusing every later attempt.
      if (admission.admitted && !judged) await attempts.release(loginKey).catch(() => undefined);
    }
    // One answer for every reason, so the response reveals neither existence nor lock state.
    throw new GatehouseError('AUTH_INVALID_CREDENTIALS');
  }

  async function recordFailure(
    admission: AttemptAdmission, loginKey: string, user: UserRow | undefined, ok: boolean, locked: boolean, context: AuditContext, now: number,
  ): Promise<void> {
    const lockedNow =
      admission.admitted && admission.failures >= policy.maxLoginFailAttempts &&
      (await attempts.lock(loginKey, now + policy.accessBlockTimeSeconds * 1000, now));
    const reason = locked ? 'locked' : !user ? 'unknown-user' : !ok ? 'wrong-password' : user.disabled ? 'disabled' : user.is_bot ? 'bot' : 'not-admin';
    await audit.record({ ...context, actorName: loginKey }, {
      type: 'auth.login', outcome: 'failure', target: { type: 'user', id: user?.id ?? null, name: loginKey }, details: { method: 'password', reason },
    });
    if (lockedNow) {
      await audit.record({ ...context, actorName: loginKey }, {
        type: 'auth.lockout', outcome: 'success', target: { type: 'user', id: user?.id ?? null, name: loginKey },
        details: { failures: admission.failures, seconds: policy.accessBlockTimeSeconds },
      });
    }
  }

  return {
    async verifyCredentials(login: string, password: string, context: AuditContext): Promise<VerifiedPassword> {
      const loginKey = login.trim().toLowerCase().slice(0, 256);
      deps.limits.take(context.ip, loginKey);
      const slot = deps.hasher.enter();
      try {
        return await judge(slot, loginKey, password, context);
      } finally {
        slot.release();
      }
    },
  };
}
