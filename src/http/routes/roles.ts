import { Type } from 'typebox';
import { GatehouseError } from '../../errors/index.js';
import { RoleOut } from '../api-schemas.js';
import type { App } from '../app-types.js';
import { auditContext } from '../audit-context.js';
import type { AppDeps } from '../deps.js';
import { errors, IdParams, Strict } from '../schemas.js';
import { INPUT_LIMITS as LIMIT } from '../../shared/index.js';

const Permissions = Type.Array(Type.String({ maxLength: 64 }), { maxItems: 100 });

/** /api/v1/roles: everyone signed in may read roles; role:manage changes them. */
export function registerRoleRoutes(app: App, deps: AppDeps): void {
  const tags = ['roles'];
  app.get('/api/v1/roles', { schema: { tags, response: { 200: Type.Object({ data: Type.Array(RoleOut) }) } } }, async () => ({
    data: await deps.roles.list(),
  }));

  app.get('/api/v1/roles/:id', { schema: { tags, params: IdParams, response: { 200: RoleOut, ...errors(404) } } }, async (request) => {
    const role = await deps.roles.get(request.params.id);
    if (!role) throw new GatehouseError('NOT_FOUND', 'No such role.');
    return role;
  });

  app.post(
    '/api/v1/roles',
    {
      config: { permission: 'role:manage' },
      schema: {
        tags,
        body: Strict({
          name: Type.String({ minLength: 1, maxLength: LIMIT.roleName }),
          displayName: Type.Optional(Type.String({ maxLength: LIMIT.displayName })),
          description: Type.Optional(Type.String({ maxLength: LIMIT.description })),
          permissions: Permissions,
        }),
        response: { 201: RoleOut, ...errors(400, 403, 409) },
      },
    },
    async (request, reply) => reply.status(201).send(await deps.roles.create(request.body, auditContext(request))),
  );

  app.patch(
    '/api/v1/roles/:id',
    {
      config: { permission: 'role:manage' },
      schema: {
        tags,
        params: IdParams,
        body: Strict({
          displayName: Type.Optional(Type.String({ maxLength: LIMIT.displayName })),
          description: Type.Optional(Type.String({ maxLength: LIMIT.description })),
          permissions: Type.Optional(Permissions),
        }),
        response: { 200: RoleOut, ...errors(400, 403, 404) },
      },
    },
    async (request) => deps.roles.update(request.params.id, request.body, auditContext(request)),
  );

  app.delete(
    '/api/v1/roles/:id',
    { config: { permission: 'role:manage' }, schema: { tags, params: IdParams, response: { 204: Type.Null(), ...errors(403, 404, 409) } } },
    async (request, reply) => {
      await deps.roles.remove(request.params.id, auditContext(request));
      return reply.status(204).send(null);
    },
  );
}
