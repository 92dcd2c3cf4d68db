import type { AuditContext, AuditLog } from '../audit/index.js';
import { hashPassword, newId, randomSecret, sha256Hex, verifyAgainstDummy, verifyPassword } from '../crypto/index.js';
import { GatehouseError } from '../errors/index.js';
import type { Clock } from '../shared/clock.js';
import type { LoginAttemptStore, RefreshTokenStore, RoleStore, UserRow, UserStore } from '../storage/index.js';
import { can } from './can.js';
import { checkNewPassword } from './password-policy.js';
import type { Principal } from './principal.js';

/** Signs the short-lived access token (the one signer lives in src/tokens). */
export interface AccessTokenIssuer {
  issueUserAccessToken(user: UserRow, roles: readonly string[]): Promise<{ token: string; expiresAt: number }>;
}

export interface BasicSignInDeps {
  users: UserStore;
  roles: RoleStore;
  attempts: LoginAttemptStore;
  refreshTokens: RefreshTokenStore;
  audit: AuditLog;
  clock: Clock;
  issuer: AccessTokenIssuer;
  policy: {
    maxLoginFailAttempts: number;
    accessBlockTimeSeconds: number;
    minPasswordLength: number;
    refreshTokenTtlSeconds: number;
    /** Break-glass mode: only administrators may use passwords. */
    adminsOnly: boolean;
  };
  /** Called after a password change that ends other sign-ins (sessions live elsewhere). */
  onPasswordChanged(userId: string, keepSessionId: string | null): Promise<void>;
  onUserChanged(userId: string): void;
}

export interface TokenPair {
  tokenType: 'Bearer';
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiryDuration: number;
  mustChangePassword: boolean;
}

/**
 * Password sign-in with lockout. The attempt is counted before the password is checked (atomically), so parallel
 * guesses cannot exceed the limit; unknown users, wrong passwords and locked accounts get the same error after the
 * same amount of hashing work.
 */
export function createBasicSignIn(deps: BasicSignInDeps) {
  const { users, attempts, refreshTokens, audit, clock, policy } = deps;

  async function findByLogin(login: string): Promise<UserRow | undefined> {
    const key = login.trim().toLowerCase();
    return key.includes('@') ? ((await users.findByEmail(key)) ?? (await users.findByName(key))) : users.findByName(key);
  }

  async function verifyCredentials(login: string, password: string, context: AuditContext): Promise<UserRow> {
    const loginKey = login.trim().toLowerCase().slice(0, 256);
    const now = clock.now();
    const reservation = await attempts.reserve(loginKey, now);
    const locked =
      (reservation.lockedUntil !== null && reservation.lockedUntil > now) || reservation.failures > policy.maxLoginFailAttempts;
    const user = locked ? undefined : await findByLogin(loginKey);
    const ok = user?.password_hash ? await verifyPassword(user.password_hash, password) : await verifyAgainstDummy(password);
    const usable = ok && user && user.disabled === 0 && user.is_bot === 0 && (!policy.adminsOnly || user.is_admin === 1);
    if (usable) {
      await attempts.clear(loginKey);
      await audit.record({ ...context, actorId: user.id, actorName: user.name }, {
        type: 'auth.login', outcome: 'success', target: { type: 'user', id: user.id, name: user.name },
        details: { method: 'password', breakGlass: policy.adminsOnly },
      });
      return user;
    }
    const lockedNow =
      reservation.failures >= policy.maxLoginFailAttempts && (await attempts.lock(loginKey, now + policy.accessBlockTimeSeconds * 1000, now));
    const reason = locked ? 'locked' : !user ? 'unknown-user' : !ok ? 'wrong-password' : user.disabled ? 'disabled' : user.is_bot ? 'bot' : 'not-admin';
    await audit.record({ ...context, actorName: loginKey }, {
      type: 'auth.login', outcome: 'failure', target: { type: 'user', id: user?.id ?? null, name: loginKey }, details: { method: 'password', reason },
    });
    if (lockedNow) {
      await audit.record({ ...context, actorName: loginKey }, {
        type: 'auth.lockout', outcome: 'success', target: { type: 'user', id: user?.id ?? null, name: loginKey },
        details: { failures: reservation.failures, seconds: policy.accessBlockTimeSeconds },
      });
    }
    // One answer for every reason, so the response reveals neither existence nor lock state.
    throw new GatehouseError('AUTH_INVALID_CREDENTIALS');
  }

  async function issuePair(user: UserRow, familyId: string): Promise<TokenPair> {
    const grants = await deps.roles.rolesOfUser(user.id);
    const access = await deps.issuer.issueUserAccessToken(user, grants.map((g) => g.role.name));
    const refreshToken = randomSecret(32);
    const now = clock.now();
    await refreshTokens.insert({
      token_hash: sha256Hex(refreshToken), family_id: familyId, user_id: user.id, created_at: now,
      expires_at: now + policy.refreshTokenTtlSeconds * 1000, used_at: null, revoked_at: null,
    });
    return {
      tokenType: 'Bearer',
      accessToken: access.token,
      refreshToken,
      expiryDuration: Math.max(0, Math.floor((access.expiresAt - now) / 1000)),
      mustChangePassword: user.must_change_password === 1,
    };
  }

  return {
    verifyCredentials,

    async login(login: string, password: string, context: AuditContext): Promise<TokenPair> {
      const user = await verifyCredentials(login, password, context);
      return issuePair(user, newId());
    },

    /** Rotates the refresh token. Reusing a spent token revokes its whole family (it was probably stolen). */
    async refresh(refreshToken: string, context: AuditContext): Promise<TokenPair> {
      const now = clock.now();
      const result = await refreshTokens.consume(sha256Hex(refreshToken), now);
      if (result.kind === 'reused') {
        await refreshTokens.revokeFamily(result.row.family_id, now);
        await audit.record(context, { type: 'auth.refresh.reuse', outcome: 'failure', target: { type: 'user', id: result.row.user_id }, details: { family: result.row.family_id } });
      }
      if (result.kind !== 'ok') throw new GatehouseError('AUTH_REFRESH_INVALID');
      const user = await users.findById(result.row.user_id);
      if (!user || user.disabled === 1) throw new GatehouseError('AUTH_REFRESH_INVALID');
      return issuePair(user, result.row.family_id);
    },

    /** Ends the sign-in the refresh token belongs to. Unknown tokens are ignored: logout always succeeds. */
    async logout(refreshToken: string | undefined, context: AuditContext): Promise<void> {
      if (!refreshToken) return;
      const now = clock.now();
      const result = await refreshTokens.consume(sha256Hex(refreshToken), now);
      if (result.kind !== 'invalid') {
        await refreshTokens.revokeFamily(result.row.family_id, now);
        await audit.record(context, { type: 'auth.logout', outcome: 'success', target: { type: 'user', id: result.row.user_id } });
      }
    },

    async changePassword(
      userId: string,
      input: { oldPassword: string; newPassword: string; confirmPassword: string; endOtherSessions: boolean; currentSessionId: string | null },
      context: AuditContext,
    ): Promise<void> {
      const user = await users.findById(userId);
      if (!user || user.is_bot === 1) throw new GatehouseError('FORBIDDEN', 'Bots have no password.');
      const ok = user.password_hash ? await verifyPassword(user.password_hash, input.oldPassword) : false;
      if (!ok || input.newPassword !== input.confirmPassword) {
        await audit.record(context, { type: 'auth.password.change', outcome: 'failure', target: { type: 'user', id: user.id, name: user.name } });
        throw new GatehouseError('AUTH_PASSWORD_MISMATCH');
      }
      if (input.newPassword === input.oldPassword) throw new GatehouseError('AUTH_PASSWORD_WEAK', 'The new password must differ from the current one.');
      checkNewPassword(input.newPassword, { minLength: policy.minPasswordLength, userName: user.name });
      const now = clock.now();
      await users.update(user.id, { password_hash: await hashPassword(input.newPassword), must_change_password: 0, updated_at: now });
      deps.onUserChanged(user.id);
      // A first change of an initial password keeps the current sign-in; "end others" ends every other one.
      if (input.endOtherSessions) {
        await refreshTokens.revokeAllForUser(user.id, now);
        await deps.onPasswordChanged(user.id, input.currentSessionId);
      }
      await audit.record(context, { type: 'auth.password.change', outcome: 'success', target: { type: 'user', id: user.id, name: user.name }, details: { endOtherSessions: input.endOtherSessions } });
    },

    /** An administrator sets another user's password; the user must change it at next sign-in and is signed out. */
    async resetPassword(actor: Principal, userName: string, newPassword: string, confirmPassword: string, context: AuditContext): Promise<void> {
      if (!can(actor, 'user:manage')) throw new GatehouseError('FORBIDDEN', 'Missing permission user:manage.');
      const user = await users.findByName(userName.toLowerCase());
      if (!user) throw new GatehouseError('NOT_FOUND', 'No such user.');
      if (user.is_bot === 1) throw new GatehouseError('FORBIDDEN', 'Bots have no password.');
      if (newPassword !== confirmPassword) throw new GatehouseError('AUTH_PASSWORD_MISMATCH');
      checkNewPassword(newPassword, { minLength: policy.minPasswordLength, userName: user.name });
      const now = clock.now();
      await users.update(user.id, { password_hash: await hashPassword(newPassword), must_change_password: 1, updated_at: now });
      await refreshTokens.revokeAllForUser(user.id, now);
      await deps.onPasswordChanged(user.id, null);
      deps.onUserChanged(user.id);
      await audit.record(context, { type: 'auth.password.reset', outcome: 'success', target: { type: 'user', id: user.id, name: user.name } });
    },
  };
}

export type BasicSignIn = ReturnType<typeof createBasicSignIn>;
