import { Type } from 'typebox';
import { can } from '../../authz/index.js';
import { GatehouseError } from '../../errors/index.js';
import { TOKEN_EXPIRY_CHOICES } from '../../tokens/index.js';
import type { App } from '../app-types.js';
import { auditContext } from '../audit-context.js';
import { principalOf } from '../authenticate.js';
import type { AppDeps } from '../deps.js';
import { errors, Strict } from '../schemas.js';

/** Personal access tokens (self; administrators may list and revoke anyone's with ?userId=). Bots cannot have them. */
export function registerPersonalTokenRoutes(app: App, deps: AppDeps): void {
  const tags = ['tokens'];
  const config = { permission: 'token:manageOwn' as const };

  function targetUser(request: Parameters<typeof principalOf>[0], userId: string | undefined): string {
    const principal = principalOf(request);
    if (!userId || userId === principal.userId) return principal.userId;
    if (!can(principal, 'user:manage')) throw new GatehouseError('FORBIDDEN', 'Only administrators manage other users\' tokens.');
    return userId;
  }

  app.get(
    '/api/v1/users/security/token',
    { config, schema: { tags, querystring: Strict({ userId: Type.Optional(Type.String({ maxLength: 64 })) }) } },
    async (request) => ({ data: await deps.tokens.list(targetUser(request, request.query.userId), 'PERSONAL_ACCESS') }),
  );

  app.put(
    '/api/v1/users/security/token',
    {
      config,
      schema: {
        tags,
        body: Strict({
          tokenName: Type.String({ minLength: 1, maxLength: 128 }),
          JWTTokenExpiry: Type.Union(TOKEN_EXPIRY_CHOICES.map((c) => Type.Literal(c))),
          scopes: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 40 })),
        }),
        response: { 200: Type.Object({ id: Type.String(), name: Type.String(), JWTToken: Type.String(), JWTTokenExpiry: Type.String(), JWTTokenExpiresAt: Type.Union([Type.Number(), Type.Null()]), scopes: Type.Union([Type.Array(Type.String()), Type.Null()]) }), ...errors(400) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      // A token minted with a token must not outgrow it: only sessions and full tokens create personal tokens.
      if (principal.method === 'personal-token') throw new GatehouseError('FORBIDDEN', 'Personal access tokens cannot create other tokens.');
      const user = await deps.users.rowById(principal.userId);
      if (!user) throw new GatehouseError('AUTH_REQUIRED');
      const signed = await deps.tokens.issuePersonalToken(user, principal.roles, { name: request.body.tokenName, expiry: request.body.JWTTokenExpiry, scopes: request.body.scopes ?? null });
      await deps.audit.record(auditContext(request), { type: 'token.create', outcome: 'success', target: { type: 'user', id: user.id, name: user.name }, details: { jti: signed.jti, name: request.body.tokenName, expiry: request.body.JWTTokenExpiry, scopes: signed.scopes } });
      return { id: signed.jti, name: request.body.tokenName, JWTToken: signed.token, JWTTokenExpiry: request.body.JWTTokenExpiry, JWTTokenExpiresAt: signed.expiresAt, scopes: signed.scopes };
    },
  );

  app.put(
    '/api/v1/users/security/token/revoke',
    {
      config,
      schema: {
        tags,
        body: Strict({ tokenIds: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 100 }), userId: Type.Optional(Type.String({ maxLength: 64 })) }),
        response: { 200: Type.Object({ revoked: Type.Array(Type.String()) }) },
      },
    },
    async (request) => {
      const userId = targetUser(request, request.body.userId);
      const revoked = await deps.tokens.revoke(request.body.tokenIds, userId);
      await deps.audit.record(auditContext(request), { type: 'token.revoke', outcome: 'success', target: { type: 'user', id: userId }, details: { tokens: revoked } });
      return { revoked };
    },
  );
}
