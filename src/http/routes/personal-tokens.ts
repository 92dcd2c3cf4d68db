import { Type } from 'typebox';
import { TOKEN_EXPIRY_CHOICES } from '../../tokens/index.js';
import { PersonalTokenOut } from '../api-schemas.js';
import type { App } from '../app-types.js';
import { auditContext } from '../audit-context.js';
import { principalOf } from '../authenticate.js';
import type { AppDeps } from '../deps.js';
import { errors, Strict } from '../schemas.js';
import { INPUT_LIMITS as LIMIT } from '../../shared/index.js';

/** Personal access tokens (self; administrators may list and revoke anyone's with ?userId=). Bots cannot have them. */
export function registerPersonalTokenRoutes(app: App, deps: AppDeps): void {
  const tags = ['tokens'];
  const config = { permission: 'token:manageOwn' as const };
  const { personalTokens } = deps;

  app.get(
    '/api/v1/users/security/token',
    { config, schema: { tags, querystring: Strict({ userId: Type.Optional(Type.String({ maxLength: 64 })) }) } },
    async (request) => ({ data: await personalTokens.list(principalOf(request), request.query.userId) }),
  );

  app.put(
    '/api/v1/users/security/token',
    {
      config,
      schema: {
        tags,
        body: Strict({
          tokenName: Type.String({ minLength: 1, maxLength: LIMIT.tokenName }),
          JWTTokenExpiry: Type.Union(TOKEN_EXPIRY_CHOICES.map((c) => Type.Literal(c))),
          scopes: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 40 })),
        }),
        response: { 200: PersonalTokenOut, ...errors(400) },
      },
    },
    async (request) => {
      const { tokenName, JWTTokenExpiry, scopes } = request.body;
      const created = await personalTokens.create(principalOf(request), { name: tokenName, expiry: JWTTokenExpiry, scopes: scopes ?? null }, auditContext(request));
      return { id: created.id, name: created.name, JWTToken: created.token, JWTTokenExpiry: created.expiry, JWTTokenExpiresAt: created.expiresAt, scopes: created.scopes };
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
      const revoked = await personalTokens.revoke(principalOf(request), request.body.tokenIds, request.body.userId, auditContext(request));
      return { revoked };
    },
  );
}
