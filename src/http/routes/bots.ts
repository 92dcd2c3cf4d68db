import { Type } from 'typebox';
import { GatehouseError } from '../../errors/index.js';
import { TOKEN_EXPIRY_CHOICES } from '../../tokens/index.js';
import { describedPatch } from '../openmetadata/described-patch.js';
import { JsonPatch } from '../openmetadata/json-patch.js';
import { BotOut, TokenMetaOut } from '../api-schemas.js';
import type { App } from '../app-types.js';
import { auditContext } from '../audit-context.js';
import type { AppDeps } from '../deps.js';
import { omBot, shapingFor, type Shaping } from '../openmetadata/entities.js';
import { FieldsQuery, IncludeQuery, visible, wantsGatehouseFields } from '../openmetadata/fields.js';
import { ListQuery, pageInMemory, PagingOut } from '../openmetadata/paging.js';
import { errors, IdParams, Strict } from '../schemas.js';
import { principalOf } from '../authenticate.js';
import { INPUT_LIMITS as LIMIT } from '../../shared/index.js';

const Expiry = Type.Union(TOKEN_EXPIRY_CHOICES.map((c) => Type.Literal(c)));

/** Bots (/api/v1/bots) and their tokens (OpenMetadata's generateToken / token / revokeToken), for bot:manage holders. */
export function registerBotRoutes(app: App, deps: AppDeps): void {
  const tags = ['bots'];
  const config = { permission: 'bot:manage' as const };
  const shaping = (fields: string | undefined): Shaping => shapingFor(deps.config, wantsGatehouseFields(fields));
  const Read = Strict({ fields: FieldsQuery, include: IncludeQuery });

  // Paged by name with OpenMetadata's cursors, as users are (the list is short, so it is paged in memory).
  app.get(
    '/api/v1/bots',
    { config, schema: { tags, querystring: Strict({ fields: FieldsQuery, include: IncludeQuery, limit: ListQuery.limit, before: ListQuery.before, after: ListQuery.after }), response: { 200: Type.Object({ data: Type.Array(BotOut), paging: PagingOut }) } } },
    async (request) => {
      const shape = shaping(request.query.fields);
      const all = (await deps.bots.list()).filter((b) => visible(b, request.query.include));
      const page = pageInMemory(all, request.query);
      return { data: page.data.map((b) => omBot(b, shape)), paging: page.paging };
    },
  );

  for (const path of ['/api/v1/bots/:id', '/api/v1/bots/name/:id']) {
    app.get(path, { config, schema: { tags, params: IdParams, querystring: Read, response: { 200: BotOut, ...errors(404) } } }, async (request) => {
      const bot = await deps.bots.get(request.params.id);
      if (!bot || !visible(bot, request.query.include)) throw new GatehouseError('NOT_FOUND', 'No such bot.');
      return omBot(bot, shaping(request.query.fields));
    });
  }

  const CreateBot = Strict({
    name: Type.String({ minLength: 1, maxLength: LIMIT.name }),
    displayName: Type.Optional(Type.String({ maxLength: LIMIT.displayName })),
    description: Type.Optional(Type.String({ maxLength: LIMIT.description })),
    botUser: Type.Optional(Type.String({ maxLength: LIMIT.name })),
    roles: Type.Optional(Type.Array(Type.String({ maxLength: LIMIT.roleName }), { maxItems: 20 })),
    provider: Type.Optional(Type.Union([Type.Literal('user'), Type.Literal('system')])),
  });
  const checkBotUser = (body: { name: string; botUser?: string | undefined }) => {
    // OpenMetadata names the bot user separately; Gatehouse makes one bot user per bot with the bot's name.
    if (body.botUser && body.botUser.toLowerCase() !== body.name.toLowerCase()) {
      throw new GatehouseError('REQUEST_INVALID', 'botUser must be omitted or equal the bot name: each bot gets its own bot user.');
    }
  };

  app.post('/api/v1/bots', { config, schema: { tags, body: CreateBot, response: { 201: BotOut, ...errors(400, 403, 409) } } }, async (request, reply) => {
    checkBotUser(request.body);
    const { name, displayName, description, roles } = request.body;
    return reply.status(201).send(omBot(await deps.bots.create({ name, displayName, description, roles }, auditContext(request)), shaping(undefined)));
  });

  // OpenMetadata's UI and SDK write bots with PUT: create, or update the bot with this name.
  app.put('/api/v1/bots', { config, schema: { tags, body: CreateBot, response: { 200: BotOut, 201: BotOut, ...errors(400, 403, 409) } } }, async (request, reply) => {
    checkBotUser(request.body);
    const { name, displayName, description, roles } = request.body;
    const existing = await deps.bots.get(name.toLowerCase());
    if (!existing) return reply.status(201).send(omBot(await deps.bots.create({ name, displayName, description, roles }, auditContext(request)), shaping(undefined)));
    if (roles !== undefined) throw new GatehouseError('REQUEST_INVALID', "A bot's roles are set when it is made; change its bot user's roles instead.");
    return omBot(await deps.bots.update(existing.id, { displayName, description }, auditContext(request)), shaping(undefined));
  });

  app.patch(
    '/api/v1/bots/:id',
    { config, schema: { tags, params: IdParams, body: Type.Union([JsonPatch, Strict({ displayName: Type.Optional(Type.String({ maxLength: LIMIT.displayName })), description: Type.Optional(Type.String({ maxLength: LIMIT.description })) })]), response: { 200: BotOut, ...errors(400, 404) } } },
    async (request) => {
      const bot = await deps.bots.get(request.params.id);
      if (!bot) throw new GatehouseError('NOT_FOUND', 'No such bot.');
      const input = Array.isArray(request.body) ? describedPatch(omBot(bot, shaping(undefined)), request.body) : request.body;
      return omBot(await deps.bots.update(bot.id, input, auditContext(request)), shaping(undefined));
    },
  );

  // OpenMetadata's DELETE is soft unless hardDelete=true; a soft-deleted bot can be restored or deleted for good later.
  const DeleteQuery = Strict({ hardDelete: Type.Optional(Type.Boolean()), recursive: Type.Optional(Type.Boolean()) });
  for (const path of ['/api/v1/bots/:id', '/api/v1/bots/name/:id']) {
    app.delete(path, { config, schema: { tags, params: IdParams, querystring: DeleteQuery, response: { 200: BotOut, 204: Type.Null(), ...errors(400, 404) } } }, async (request, reply) => {
      if (request.query.hardDelete) {
        await deps.bots.remove(request.params.id, auditContext(request));
        return reply.status(204).send(null);
      }
      const bot = await deps.bots.softDelete(request.params.id, principalOf(request).name, auditContext(request));
      return reply.status(200).send(omBot(bot, shaping(undefined)));
    });
  }

  app.put(
    '/api/v1/bots/restore',
    { config, schema: { tags, body: Strict({ id: Type.String({ minLength: 1, maxLength: 64 }) }), response: { 200: BotOut, ...errors(400, 404) } } },
    async (request) => omBot(await deps.bots.restore(request.body.id, principalOf(request).name, auditContext(request)), shaping(undefined)),
  );

  // OpenMetadata's JWTAuthMechanism answer (plus the token's id), shown once.
  const GeneratedOut = Type.Object({ id: Type.String(), JWTToken: Type.String(), JWTTokenExpiry: Type.String(), JWTTokenExpiresAt: Type.Union([Type.Number(), Type.Null()]) });
  app.put(
    '/api/v1/users/generateToken/:id',
    { config, schema: { tags, params: IdParams, body: Strict({ JWTTokenExpiry: Expiry }), response: { 200: GeneratedOut, ...errors(400, 404) } } },
    async (request) => deps.bots.generateToken(request.params.id, request.body.JWTTokenExpiry, auditContext(request)),
  );
  // The same, with the bot user's id in the body instead of the path (the one generateToken of the bot service).
  app.post(
    '/api/v1/users/generateToken',
    { config, schema: { tags, body: Strict({ id: Type.String({ minLength: 1, maxLength: 64 }), JWTTokenExpiry: Expiry }), response: { 200: GeneratedOut, ...errors(400, 404) } } },
    async (request) => deps.bots.generateToken(request.body.id, request.body.JWTTokenExpiry, auditContext(request)),
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
