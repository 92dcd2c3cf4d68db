import type { AuditContext, AuditLog } from '../audit/index.js';
import { GatehouseError } from '../errors/index.js';
import type { UserRow } from '../storage/index.js';
import { can, type Principal } from '../authz/index.js';
import type { TokenMetadata, TokenService } from './token-service.js';

export interface PersonalTokenDeps {
  tokens: Pick<TokenService, 'issuePersonalToken' | 'list' | 'revoke'>;
  users: { rowById(id: string): Promise<UserRow | undefined> };
  audit: AuditLog;
}

export interface NewPersonalToken {
  readonly name: string;
  readonly expiry: string;
  readonly scopes: readonly string[] | null;
}

export interface CreatedPersonalToken {
  readonly id: string;
  readonly name: string;
  readonly token: string;
  readonly expiry: string;
  readonly expiresAt: number | null;
  /** The scopes as stored (read-only expanded), or null for a token with all of its owner's permissions. */
  readonly scopes: string[] | null;
}

/**
 * Who may list, create and revoke which personal access tokens: anyone their own; administrators (user:manage)
 * list and revoke anyone's; only sessions and full tokens create them. Expiry, scope and bot rules are in the token
 * service. Every change is audited here.
 */
export function createPersonalTokens(deps: PersonalTokenDeps) {
  function targetUser(principal: Principal, userId: string | undefined): string {
    if (!userId || userId === principal.userId) return principal.userId;
    if (!can(principal, 'user:manage')) throw new GatehouseError('FORBIDDEN', 'Only administrators manage other users\' tokens.');
    return userId;
  }

  return {
    /** The caller's personal tokens, or (administrators) another user's. */
    async list(principal: Principal, userId: string | undefined): Promise<TokenMetadata[]> {
      return deps.tokens.list(targetUser(principal, userId), 'PERSONAL_ACCESS');
    },

    async create(principal: Principal, input: NewPersonalToken, context: AuditContext): Promise<CreatedPersonalToken> {
      // A token minted with a token must not outgrow it: only sessions and full tokens create personal tokens.
      if (principal.method === 'personal-token') throw new GatehouseError('FORBIDDEN', 'Personal access tokens cannot create other tokens.');
      const user = await deps.users.rowById(principal.userId);
      if (!user) throw new GatehouseError('AUTH_REQUIRED');
      const signed = await deps.tokens.issuePersonalToken(user, principal.roles, input);
      await deps.audit.record(context, { type: 'token.create', outcome: 'success', target: { type: 'user', id: user.id, name: user.name }, details: { jti: signed.jti, name: input.name, expiry: input.expiry, scopes: signed.scopes } });
      return { id: signed.jti, name: input.name, token: signed.token, expiry: input.expiry, expiresAt: signed.expiresAt, scopes: signed.scopes };
    },

    /** Revokes the caller's tokens, or (administrators) another user's; ids of other users' tokens are ignored. */
    async revoke(principal: Principal, tokenIds: readonly string[], userId: string | undefined, context: AuditContext): Promise<string[]> {
      const owner = targetUser(principal, userId);
      const revoked = await deps.tokens.revoke(tokenIds, owner);
      await deps.audit.record(context, { type: 'token.revoke', outcome: 'success', target: { type: 'user', id: owner }, details: { tokens: revoked } });
      return revoked;
    },
  };
}

export type PersonalTokens = ReturnType<typeof createPersonalTokens>;
