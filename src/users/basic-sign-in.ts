import { recordSignIn, type AuditContext, type AuditLog } from '../audit/index.js';
import { can, type Principal } from '../authz/index.js';
import { newId, randomSecret, sha256Hex, type PasswordHasher } from '../crypto/index.js';
import { GatehouseError } from '../errors/index.js';
import type { Clock } from '../shared/index.js';
import type { LoginAttemptStore, RefreshTokenStore, RoleStore, UserRow, UserStore } from '../storage/index.js';
import { createPasswordCheck, type VerifiedPassword } from './password-check.js';
import { checkNewPassword } from './password-policy.js';
import type { SignInRateLimits } from './sign-in-rate-limits.js';

/** The short-lived access tokens of password sign-ins (the one signer lives in src/tokens). */
export interface AccessTokenIssuer {
  /** Signs an access token bound to the sign-in `signInId` (the refresh-token family). */
  issueUserAccessToken(user: UserRow, roles: readonly string[], signInId: string): Promise<{ token: string; expiresAt: number }>;
  /** Ends sign-ins: their access tokens are refused on every instance from the next request on. */
  endSignIns(userId: string, signInIds: readonly string[]): Promise<void>;
  /** The sign-in of an access token whose signature is ours (expired or not); undefined for anything else. */
  signInOf(token: string): Promise<{ signInId: string; subject: string } | undefined>;
}

export interface BasicSignInDeps {
  users: UserStore;
  roles: RoleStore;
  attempts: LoginAttemptStore;
  refreshTokens: RefreshTokenStore;
  audit: AuditLog;
  clock: Clock;
  /** Every password hash and check goes through this bounded queue. */
  hasher: PasswordHasher;
  /** Per-address and per-account limits on password sign-ins. */
  limits: SignInRateLimits;
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

export type { VerifiedPassword };

export interface TokenPair {
  tokenType: 'Bearer';
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiryDuration: number;
  mustChangePassword: boolean;
}

/** OpenMetadata's JwtResponse for a session: no refresh token, `expiryDuration` is the expiry instant (epoch ms). */
export interface SessionAccessToken {
  tokenType: 'Bearer';
  accessToken: string;
  expiryDuration: number;
  mustChangePassword: boolean;
}

/**
 * Password sign-in with lockout (the check itself, with its limits and queue, is in password-check.ts): token pairs,
 * refresh, logout, password changes and resets.
 */
export function createBasicSignIn(deps: BasicSignInDeps) {
  const { users, refreshTokens, audit, clock, policy, hasher } = deps;
  const { verifyCredentials } = createPasswordCheck(deps);

  async function issuePair(user: UserRow, familyId: string): Promise<TokenPair> {
    const grants = await deps.roles.rolesOfUser(user.id);
    const access = await deps.issuer.issueUserAccessToken(user, grants.map((g) => g.role.name), familyId);
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

  /** Ends one sign-in: its refresh tokens and its access tokens. */
  async function endSignIn(familyId: string, userId: string): Promise<void> {
    await refreshTokens.revokeFamily(familyId, clock.now());
    await deps.issuer.endSignIns(userId, [familyId]);
  }

  /** Ends every password sign-in of the user (refresh and access tokens); returns how many there were. */
  async function endAllSignIns(userId: string): Promise<number> {
    const families = await refreshTokens.revokeAllForUser(userId, clock.now());
    await deps.issuer.endSignIns(userId, families);
    return families.length;
  }

  /**
   * The one password reset, for an administrator (API) and an operator (CLI): new hash, every sign-in of the user
   * ended (sessions, refresh and access tokens), caches told on every instance.
   */
  async function applyReset(user: UserRow, newPassword: string, mustChange: boolean, context: AuditContext, details: Record<string, unknown>): Promise<void> {
    if (user.is_bot === 1) throw new GatehouseError('FORBIDDEN', 'Bots have no password.');
    checkNewPassword(newPassword, { minLength: policy.minPasswordLength, userName: user.name });
    await users.update(user.id, { password_hash: await hasher.hash(newPassword), must_change_password: mustChange ? 1 : 0, updated_at: clock.now() });
    await endAllSignIns(user.id);
    await deps.onPasswordChanged(user.id, null);
    deps.onUserChanged(user.id);
    await audit.record(context, { type: 'auth.password.reset', outcome: 'success', target: { type: 'user', id: user.id, name: user.name }, details });
  }

  return {
    verifyCredentials,
    endAllSignIns,
    /** Password checks hashing now and waiting for a turn (this instance). */
    hashingLoad: () => hasher.load(),

    async login(login: string, password: string, context: AuditContext): Promise<TokenPair> {
      const { user, details } = await verifyCredentials(login, password, context);
      await recordSignIn(audit, context, user, details);
      return issuePair(user, newId());
    },

    /**
     * An access token bound to a browser session (its `sid` is the session id), for OpenMetadata's newer
     * /api/v1/auth/login and /api/v1/auth/refresh: ending the session ends the token (see onSessionsEnded in core.ts).
     */
    async sessionAccessToken(userId: string, sessionId: string): Promise<SessionAccessToken> {
      const user = await users.findById(userId);
      if (!user || user.disabled === 1 || user.is_bot === 1) throw new GatehouseError('AUTH_REQUIRED');
      const grants = await deps.roles.rolesOfUser(user.id);
      const access = await deps.issuer.issueUserAccessToken(user, grants.map((g) => g.role.name), sessionId);
      return {
        tokenType: 'Bearer', accessToken: access.token,
        // OpenMetadata's session handler puts the expiry instant (epoch ms) here, not seconds: its UI reads it so.
        expiryDuration: access.expiresAt,
        mustChangePassword: user.must_change_password === 1,
      };
    },

    /** Rotates the refresh token. Reusing a spent token revokes its whole family (it was probably stolen). */
    async refresh(refreshToken: string, context: AuditContext): Promise<TokenPair> {
      const now = clock.now();
      const result = await refreshTokens.consume(sha256Hex(refreshToken), now);
      if (result.kind === 'reused') {
        // The thief may hold this family's access token too: it dies with the family.
        await endSignIn(result.row.family_id, result.row.user_id);
        await audit.record(context, { type: 'auth.refresh.reuse', outcome: 'failure', target: { type: 'user', id: result.row.user_id }, details: { family: result.row.family_id } });
      }
      if (result.kind !== 'ok') throw new GatehouseError('AUTH_REFRESH_INVALID');
      const user = await users.findById(result.row.user_id);
      if (!user || user.disabled === 1) throw new GatehouseError('AUTH_REFRESH_INVALID');
      return issuePair(user, result.row.family_id);
    },

    /**
     * Ends the sign-in the refresh token or the access token belongs to (refresh and access tokens alike). An access
     * token counts only when its signature is ours (expired is fine); unknown or forged tokens are ignored, so logout
     * always succeeds and reveals nothing.
     */
    async logout(input: { refreshToken?: string | undefined; token?: string | undefined }, context: AuditContext): Promise<void> {
      let ended: string | undefined;
      if (input.refreshToken) {
        const result = await refreshTokens.consume(sha256Hex(input.refreshToken), clock.now());
        if (result.kind !== 'invalid') {
          ended = result.row.family_id;
          await endSignIn(result.row.family_id, result.row.user_id);
          await audit.record(context, { type: 'auth.logout', outcome: 'success', target: { type: 'user', id: result.row.user_id } });
        }
      }
      const signIn = input.token ? await deps.issuer.signInOf(input.token) : undefined;
      const user = signIn && signIn.signInId !== ended ? await users.findByName(signIn.subject) : undefined;
      if (signIn && user) {
        await endSignIn(signIn.signInId, user.id);
        await audit.record(context, { type: 'auth.logout', outcome: 'success', target: { type: 'user', id: user.id, name: user.name }, details: { by: 'access-token' } });
      }
    },

    async changePassword(
      userId: string,
      input: { oldPassword: string; newPassword: string; confirmPassword: string; endOtherSessions: boolean; currentSessionId: string | null },
      context: AuditContext,
    ): Promise<void> {
      const user = await users.findById(userId);
      if (!user || user.is_bot === 1) throw new GatehouseError('FORBIDDEN', 'Bots have no password.');
      const ok = user.password_hash ? await hasher.verify(user.password_hash, input.oldPassword) : false;
      if (!ok || input.newPassword !== input.confirmPassword) {
        await audit.record(context, { type: 'auth.password.change', outcome: 'failure', target: { type: 'user', id: user.id, name: user.name } });
        throw new GatehouseError('AUTH_PASSWORD_MISMATCH');
      }
      if (input.newPassword === input.oldPassword) throw new GatehouseError('AUTH_PASSWORD_WEAK', 'The new password must differ from the current one.');
      checkNewPassword(input.newPassword, { minLength: policy.minPasswordLength, userName: user.name });
      const now = clock.now();
      await users.update(user.id, { password_hash: await hasher.hash(input.newPassword), must_change_password: 0, updated_at: now });
      deps.onUserChanged(user.id);
      // A first change of an initial password keeps the current sign-in; "end others" ends every other browser session
      // and every password sign-in of the API (refresh and access tokens; a caller using one signs in again).
      if (input.endOtherSessions) {
        await endAllSignIns(user.id);
        await deps.onPasswordChanged(user.id, input.currentSessionId);
      }
      await audit.record(context, { type: 'auth.password.change', outcome: 'success', target: { type: 'user', id: user.id, name: user.name }, details: { endOtherSessions: input.endOtherSessions } });
    },

    /** An administrator sets another user's password; the user must change it at next sign-in and is signed out. */
    async resetPassword(actor: Principal, userName: string, newPassword: string, confirmPassword: string, context: AuditContext): Promise<void> {
      if (!can(actor, 'user:manage')) throw new GatehouseError('FORBIDDEN', 'Missing permission user:manage.');
      const user = await users.findByName(userName.toLowerCase());
      if (!user) throw new GatehouseError('NOT_FOUND', 'No such user.');
      if (newPassword !== confirmPassword) throw new GatehouseError('AUTH_PASSWORD_MISMATCH');
      await applyReset(user, newPassword, true, context, {});
    },

    /**
     * An operator sets a password from the command line (`gatehouse admin set-password`), e.g. for the bootstrap
     * administrator: no change is required at sign-in, and every sign-in of the user ends as with an API reset.
     */
    async setPasswordByOperator(userName: string, newPassword: string, context: AuditContext): Promise<void> {
      const user = await users.findByName(userName.toLowerCase());
      if (!user) throw new GatehouseError('NOT_FOUND', `No user named "${userName}".`);
      await applyReset(user, newPassword, false, context, { via: 'cli' });
    },
  };
}

export type BasicSignIn = ReturnType<typeof createBasicSignIn>;
