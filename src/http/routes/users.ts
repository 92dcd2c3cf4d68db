import { Type } from 'typebox';
import { GatehouseError } from '../../errors/index.js';
import { UserOut } from '../api-schemas.js';
import type { App } from '../app-types.js';
import { principalOf } from '../authenticate.js';
import type { AppDeps } from '../deps.js';
import { omUser, shapingFor, type Shaping } from '../openmetadata/entities.js';
import { FieldsQuery, IncludeQuery, visible, wantsGatehouseFields } from '../openmetadata/fields.js';
import { decodeCursor, ListQuery, MAX_PAGE, pageOf, PagingOut } from '../openmetadata/paging.js';
import { errors, IdParams, NameParams, Strict } from '../schemas.js';
import { createSerializedViews, sendJsonText, serializeOk } from '../serialized-views.js';
import { userFacts } from '../user-facts.js';
import { registerUserWriteRoutes } from './user-writes.js';

const Include = Strict({ fields: FieldsQuery, include: IncludeQuery });


/** /api/v1/users reads, in OpenMetadata's shapes; writes are in user-writes.ts. */
export function registerUserRoutes(app: App, deps: AppDeps): void {
  const tags = ['users'];
  const facts = userFacts(deps);
  const serialized = createSerializedViews();
  const shaping = (fields: string | undefined): Shaping => shapingFor(deps.config, wantsGatehouseFields(fields), facts);

  app.get(
    '/api/v1/users/loggedInUser',
    { config: { allowWhilePasswordChangeRequired: true }, schema: { tags, querystring: Include, response: { 200: UserOut, ...errors(401) } } },
    async (request, reply) => {
      const user = await deps.users.get(principalOf(request).userId);
      if (!user) throw new GatehouseError('AUTH_REQUIRED');
      // The most frequent call of every signed-in client: the cached view's text, serialized by this route's schema once.
      const { fields } = request.query;
      const text = serialized.textOf(user, wantsGatehouseFields(fields), () => serializeOk(reply, omUser(user, shaping(fields))));
      return sendJsonText(reply, text);
    },
  );

  app.get(
    '/api/v1/users',
    {
      config: { permission: 'user:view' },
      schema: {
        tags,
        querystring: Strict({
          ...ListQuery, fields: FieldsQuery, include: IncludeQuery, isBot: Type.Optional(Type.Boolean()), isAdmin: Type.Optional(Type.Boolean()),
          q: Type.Optional(Type.String({ maxLength: 100 })), includeBots: Type.Optional(Type.Boolean()), team: Type.Optional(Type.String({ maxLength: 256 })),
        }),
        response: { 200: Type.Object({ data: Type.Array(UserOut), paging: PagingOut }), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const { limit = 10, offset, before, after, q, includeBots, isBot, isAdmin, include, fields, team } = request.query;
      // Gatehouse has no teams: a team filter would silently list everyone, so it is refused.
      if (team) throw new GatehouseError('REQUEST_INVALID', 'Gatehouse has no teams; the team filter is not supported.');
      if (before !== undefined && after !== undefined) throw new GatehouseError('REQUEST_INVALID', 'Only one of before and after may be given.');
      const size = Math.min(limit, MAX_PAGE);
      const query = { limit: size, offset, before: decodeCursor(before), after: decodeCursor(after) };
      // Like OpenMetadata, bots are listed unless isBot=false; Gatehouse's includeBots=false still hides them.
      const { data, total } = await deps.users.list({ q, includeBots: includeBots ?? true, isBot, isAdmin, include, ...query, limit: size + 1 });
      const page = pageOf(data, query, total);
      const shape = shaping(fields);
      return { data: page.data.map((u) => omUser(u, shape)), paging: page.paging };
    },
  );

  app.get(
    '/api/v1/users/:id',
    { config: { permission: 'user:view' }, schema: { tags, params: IdParams, querystring: Include, response: { 200: UserOut, ...errors(401, 403, 404) } } },
    async (request) => {
      const user = await deps.users.get(request.params.id);
      if (!user || !visible(user, request.query.include)) throw new GatehouseError('NOT_FOUND', 'No such user.');
      return omUser(user, shaping(request.query.fields));
    },
  );

  app.get(
    '/api/v1/users/name/:name',
    { config: { permission: 'user:view' }, schema: { tags, params: NameParams, querystring: Include, response: { 200: UserOut, ...errors(401, 403, 404) } } },
    async (request) => {
      const user = await deps.users.getByName(request.params.name);
      if (!user || !visible(user, request.query.include)) throw new GatehouseError('NOT_FOUND', 'No such user.');
      return omUser(user, shaping(request.query.fields));
    },
  );

  registerUserWriteRoutes(app, deps, shaping);
}
