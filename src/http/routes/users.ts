import { Type } from 'typebox';
import { GatehouseError } from '../../errors/index.js';
import type { App } from '../app-types.js';
import { auditContext } from '../audit-context.js';
import { principalOf } from '../authenticate.js';
import type { AppDeps } from '../deps.js';
import { errors, IdParams, NameParams, Paging, PagingOut, Strict, UserOut } from '../schemas.js';
import { userFacts } from '../user-facts.js';
import { INPUT_LIMITS as LIMIT } from '../../shared/index.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const RoleNames = Type.Array(Type.String({ minLength: 1, maxLength: LIMIT.roleName }), { maxItems: 100 });

/** /api/v1/users: only holders of user:manage change users; nobody grants themselves admin or bot flags. */
export function registerUserRoutes(app: App, deps: AppDeps): void {
  const tags = ['users'];
  const describe = userFacts(deps);

  app.get(
    '/api/v1/users/loggedInUser',
    { config: { allowWhilePasswordChangeRequired: true }, schema: { tags, response: { 200: UserOut, ...errors(401) } } },
    async (request) => {
      const user = await deps.users.get(principalOf(request).userId);
      if (!user) throw new GatehouseError('AUTH_REQUIRED');
      return describe(user);
    },
  );

  app.get(
    '/api/v1/users',
    {
      config: { permission: 'user:view' },
      schema: {
        tags,
        querystring: Strict({ ...Paging, q: Type.Optional(Type.String({ maxLength: LIMIT.userSearch })), includeBots: Type.Optional(Type.Boolean()) }),
        response: { 200: Type.Object({ data: Type.Array(UserOut), paging: PagingOut }), ...errors(401, 403) },
      },
    },
    async (request) => {
      const { limit = 50, offset = 0, q, includeBots } = request.query;
      const { data, total } = await deps.users.list({ q, includeBots, limit, offset });
      return { data: data.map(describe), paging: { total, offset, limit } };
    },
  );

  app.get(
    '/api/v1/users/:id',
    { config: { permission: 'user:view' }, schema: { tags, params: IdParams, response: { 200: UserOut, ...errors(401, 403, 404) } } },
    async (request) => {
      const user = await deps.users.get(request.params.id);
      if (!user) throw new GatehouseError('NOT_FOUND', 'No such user.');
      return describe(user);
    },
  );

  app.get(
    '/api/v1/users/name/:name',
    { config: { permission: 'user:view' }, schema: { tags, params: NameParams, response: { 200: UserOut, ...errors(401, 403, 404) } } },
    async (request) => {
      const user = await deps.users.getByName(request.params.name);
      if (!user) throw new GatehouseError('NOT_FOUND', 'No such user.');
      return describe(user);
    },
  );

  app.post(
    '/api/v1/users',
    {
      config: { permission: 'user:manage' },
      schema: {
        tags,
        body: Strict({
          name: Type.String({ minLength: 1, maxLength: LIMIT.name }),
          email: Type.Optional(Nullable(Type.String({ maxLength: LIMIT.email }))),
          displayName: Type.Optional(Nullable(Type.String({ maxLength: LIMIT.displayName }))),
          isAdmin: Type.Optional(Type.Boolean()),
          roles: Type.Optional(RoleNames),
        }),
        response: { 201: UserOut, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const user = await deps.users.create(principalOf(request), request.body, auditContext(request));
      return reply.status(201).send(describe(user));
    },
  );

  app.patch(
    '/api/v1/users/:id',
    {
      config: { permission: 'user:manage' },
      schema: {
        tags,
        params: IdParams,
        body: Strict({
          email: Type.Optional(Nullable(Type.String({ maxLength: LIMIT.email }))),
          displayName: Type.Optional(Nullable(Type.String({ maxLength: LIMIT.displayName }))),
          isAdmin: Type.Optional(Type.Boolean()),
          disabled: Type.Optional(Type.Boolean()),
          roles: Type.Optional(RoleNames),
        }),
        response: { 200: UserOut, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => describe(await deps.users.update(principalOf(request), request.params.id, request.body, auditContext(request))),
  );

  app.delete(
    '/api/v1/users/:id',
    { config: { permission: 'user:manage' }, schema: { tags, params: IdParams, response: { 204: Type.Null(), ...errors(401, 403, 404, 409) } } },
    async (request, reply) => {
      await deps.users.remove(request.params.id, auditContext(request));
      return reply.status(204).send(null);
    },
  );
}
