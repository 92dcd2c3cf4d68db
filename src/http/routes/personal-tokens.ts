import { Type } from 'typebox';
import { GatehouseError } from '../../errors/index.js';
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
  /** OpenMetadata names the owner with ?username=, Gatehouse with userId: the same permission check follows either way. */
  const ownerId = async (q: { userId?: string | undefined; username?: string | undefined }): Promise<string | undefined> => {
    if (q.username === undefined) return q.userId;
    const user = await deps.users.getByName(q.username);
    if (!user) throw new GatehouseError('NOT_FOUND', 'No such user.');
    return user.id;
  };

  app.get(
    '/api/v1/users/security/token',
    { config, schema: { tags, querystring: Strict({ userId: Type.Optional(Type.String({ maxLength: 64 })), username: Type.Optional(Type.String({ maxLength: 256 })) }) } },
    async (request) => ({ data: await personalTokens.list(principalOf(request), await ownerId(request.query)) }),
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
      return {
        id: created.id, name: created.name, JWTToken: created.token, JWTTokenExpiry: created.expiry, JWTTokenExpiresAt: created.expiresAt, scopes: created.scopes,
        // The names OpenMetadata's UI reads (auth/personalAccessToken.json).
        tokenName: created.name, jwtToken: created.token, ...(created.expiresAt === null ? {} : { expiryDate: created.expiresAt }),
      };
    },
  );

  app.put(
    '/api/v1/users/security/token/revoke',
    {
      config,
      schema: {
        tags,
        querystring: Strict({ removeAll: Type.Optional(Type.Boolean()), username: Type.Optional(Type.String({ maxLength: 256 })) }),
        body: Strict({ tokenIds: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 100 })), userId: Type.Optional(Type.String({ maxLength: 64 })) }),
        response: { 200: Type.Object({ revoked: Type.Array(Type.String()) }), ...errors(400, 404) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const userId = await ownerId({ userId: request.body.userId, username: request.query.username });
      // OpenMetadata's removeAll: every live personal token of the owner (listing checks the caller may see them).
      const ids = request.query.removeAll
        ? (await personalTokens.list(principal, userId)).filter((t) => !t.revoked).map((t) => t.id)
        : request.body.tokenIds;
      if (!ids) throw new GatehouseError('REQUEST_INVALID', 'Name the tokens to revoke in tokenIds, or use ?removeAll=true.');
      const revoked = ids.length ? await personalTokens.revoke(principal, ids, userId, auditContext(request)) : [];
      return { revoked };
    },
  );
}
