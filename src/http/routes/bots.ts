import { Type } from 'typebox';
import { GatehouseError } from '../../errors/index.js';
import { TOKEN_EXPIRY_CHOICES } from '../../tokens/index.js';
import { BotOut, TokenMetaOut } from '../api-schemas.js';
import type { App } from '../app-types.js';
import { auditContext } from '../audit-context.js';
import type { AppDeps } from '../deps.js';
import { errors, IdParams, Strict } from '../schemas.js';
import { INPUT_LIMITS as LIMIT } from '../../shared/index.js';

const Expiry = Type.Union(TOKEN_EXPIRY_CHOICES.map((c) => Type.Literal(c)));

/** Bots (/api/v1/bots) and their tokens (OpenMetadata's generateToken / token / revokeToken), for bot:manage holders. */
export function registerBotRoutes(app: App, deps: AppDeps): void {
  const tags = ['bots'];
  const config = { permission: 'bot:manage' as const };

  app.get('/api/v1/bots', { config, schema: { tags, response: { 200: Type.Object({ data: Type.Array(BotOut) }) } } }, async () => ({ data: await deps.bots.list() }));

  app.get('/api/v1/bots/:id', { config, schema: { tags, params: IdParams, response: { 200: BotOut, ...errors(404) } } }, async (request) => {
    const bot = await deps.bots.get(request.params.id);
    if (!bot) throw new GatehouseError('NOT_FOUND', 'No such bot.');
    return bot;
  });

  app.post(
    '/api/v1/bots',
    {
      config,
      schema: {
        tags,
        body: Strict({
          name: Type.String({ minLength: 1, maxLength: LIMIT.name }),
          displayName: Type.Optional(Type.String({ maxLength: LIMIT.displayName })),
          description: Type.Optional(Type.String({ maxLength: LIMIT.description })),
          botUser: Type.Optional(Type.String({ maxLength: LIMIT.name })),
          roles: Type.Optional(Type.Array(Type.String({ maxLength: LIMIT.roleName }), { maxItems: 20 })),
        }),
        response: { 201: BotOut, ...errors(400, 403, 409) },
      },
    },
    async (request, reply) => {
      const { botUser, ...input } = request.body;
      // OpenMetadata names the bot user separately; Gatehouse makes one bot user per bot with the bot's name.
      if (botUser && botUser.toLowerCase() !== input.name.toLowerCase()) {
        throw new GatehouseError('REQUEST_INVALID', 'botUser must be omitted or equal the bot name: each bot gets its own bot user.');
      }
      return reply.status(201).send(await deps.bots.create(input, auditContext(request)));
    },
  );

  app.patch(
    '/api/v1/bots/:id',
    { config, schema: { tags, params: IdParams, body: Strict({ displayName: Type.Optional(Type.String({ maxLength: LIMIT.displayName })), description: Type.Optional(Type.String({ maxLength: LIMIT.description })) }), response: { 200: BotOut, ...errors(404) } } },
    async (request) => deps.bots.update(request.params.id, request.body, auditContext(request)),
  );

  app.delete('/api/v1/bots/:id', { config, schema: { tags, params: IdParams, response: { 204: Type.Null(), ...errors(404) } } }, async (request, reply) => {
    await deps.bots.remove(request.params.id, auditContext(request));
    return reply.status(204).send(null);
  });

  app.put(
    '/api/v1/users/generateToken/:id',
    {
      config,
      schema: {
        tags,
        params: IdParams,
        body: Strict({ JWTTokenExpiry: Expiry }),
        response: { 200: Type.Object({ id: Type.String(), JWTToken: Type.String(), JWTTokenExpiry: Type.String(), JWTTokenExpiresAt: Type.Union([Type.Number(), Type.Null()]) }), ...errors(400, 404) },
      },
    },
    async (request) => deps.bots.generateToken(request.params.id, request.body.JWTTokenExpiry, auditContext(request)),
  );

  app.get(
    '/api/v1/users/token/:id',
    { config, schema: { tags, params: IdParams, response: { 200: Type.Union([TokenMetaOut, Type.Null()]), ...errors(400, 404) } } },
    async (request) => deps.bots.tokenInfo(request.params.id),
  );

  app.put(
    '/api/v1/users/revokeToken',
    { config, schema: { tags, body: Strict({ id: Type.String({ minLength: 1, maxLength: 64 }) }), response: { 200: Type.Object({ revoked: Type.Integer() }), ...errors(400, 404) } } },
    async (request) => ({ revoked: await deps.bots.revokeToken(request.body.id, auditContext(request)) }),
  );
}
