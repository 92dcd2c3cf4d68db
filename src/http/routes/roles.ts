import { Type } from 'typebox';
import { GatehouseError } from '../../errors/index.js';
import { RoleOut } from '../api-schemas.js';
import type { App } from '../app-types.js';
import { auditContext } from '../audit-context.js';
import type { AppDeps } from '../deps.js';
import { describedPatch } from '../openmetadata/described-patch.js';
import { omRole, shapingFor, type Shaping } from '../openmetadata/entities.js';
import { FieldsQuery, IncludeQuery, visible, wantsGatehouseFields } from '../openmetadata/fields.js';
import { ListQuery, pageInMemory, PagingOut } from '../openmetadata/paging.js';
import { JsonPatch } from '../openmetadata/json-patch.js';
import { errors, IdParams, Strict } from '../schemas.js';
import { principalOf } from '../authenticate.js';
import { INPUT_LIMITS as LIMIT } from '../../shared/index.js';

const Permissions = Type.Array(Type.String({ maxLength: 64 }), { maxItems: 100 });
const Read = Strict({ fields: FieldsQuery, include: IncludeQuery });

/** OpenMetadata's CreateRole; `policies` have no counterpart in Gatehouse, so a role is made from `permissions`. */
const CreateRole = Strict({
  name: Type.String({ minLength: 1, maxLength: LIMIT.roleName }),
  displayName: Type.Optional(Type.String({ maxLength: LIMIT.displayName })),
  description: Type.Optional(Type.String({ maxLength: LIMIT.description })),
  permissions: Type.Optional(Permissions),
  policies: Type.Optional(Type.Array(Type.String({ maxLength: 256 }), { maxItems: 100 })),
});

function permissionsOf(body: { permissions?: string[] | undefined; policies?: string[] | undefined }): string[] {
  // A policy is a rule language Gatehouse does not have: mapping it by guess could grant more than meant.
  if (body.policies?.length) {
    throw new GatehouseError('REQUEST_INVALID', "Gatehouse roles hold permissions, not OpenMetadata policies: send \"permissions\" (see docs/openmetadata-compat.md) and leave \"policies\" empty.");
  }
  if (!body.permissions) throw new GatehouseError('REQUEST_INVALID', 'A role needs "permissions" (a list, possibly empty).');
  return body.permissions;
}

/** /api/v1/roles: everyone signed in may read roles; role:manage changes them. */
export function registerRoleRoutes(app: App, deps: AppDeps): void {
  const tags = ['roles'];
  const config = { permission: 'role:manage' as const };
  const shaping = (fields: string | undefined): Shaping => shapingFor(deps.config, wantsGatehouseFields(fields));

  // Paged by name with OpenMetadata's cursors, as users are (the list is short, so it is paged in memory).
  app.get(
    '/api/v1/roles',
    { schema: { tags, querystring: Strict({ fields: FieldsQuery, include: IncludeQuery, limit: ListQuery.limit, before: ListQuery.before, after: ListQuery.after, default: Type.Optional(Type.Boolean()) }), response: { 200: Type.Object({ data: Type.Array(RoleOut), paging: PagingOut }) } } },
    async (request) => {
      const shape = shaping(request.query.fields);
      const all = (await deps.roles.list()).filter((r) => visible(r, request.query.include));
      const page = pageInMemory(all, request.query);
      return { data: page.data.map((r) => omRole(r, shape)), paging: page.paging };
    },
  );

  for (const path of ['/api/v1/roles/:id', '/api/v1/roles/name/:id']) {
    app.get(path, { schema: { tags, params: IdParams, querystring: Read, response: { 200: RoleOut, ...errors(404) } } }, async (request) => {
      const role = await deps.roles.get(request.params.id);
      if (!role || !visible(role, request.query.include)) throw new GatehouseError('NOT_FOUND', 'No such role.');
      return omRole(role, shaping(request.query.fields));
    });
  }

  app.post('/api/v1/roles', { config, schema: { tags, body: CreateRole, response: { 201: RoleOut, ...errors(400, 403, 409) } } }, async (request, reply) => {
    const { name, displayName, description } = request.body;
    const role = await deps.roles.create({ name, displayName, description, permissions: permissionsOf(request.body) }, auditContext(request));
    return reply.status(201).send(omRole(role, shaping('gatehouse')));
  });

  app.put('/api/v1/roles', { config, schema: { tags, body: CreateRole, response: { 200: RoleOut, 201: RoleOut, ...errors(400, 403, 409) } } }, async (request, reply) => {
    const { name, displayName, description } = request.body;
    const permissions = permissionsOf(request.body);
    const existing = await deps.roles.get(name);
    if (!existing) return reply.status(201).send(omRole(await deps.roles.create({ name, displayName, description, permissions }, auditContext(request)), shaping('gatehouse')));
    return omRole(await deps.roles.update(existing.id, { displayName, description, permissions }, auditContext(request)), shaping('gatehouse'));
  });

  app.patch(
    '/api/v1/roles/:id',
    {
      config,
      schema: {
        tags,
        params: IdParams,
        body: Type.Union([JsonPatch, Strict({ displayName: Type.Optional(Type.String({ maxLength: LIMIT.displayName })), description: Type.Optional(Type.String({ maxLength: LIMIT.description })), permissions: Type.Optional(Permissions) })]),
        response: { 200: RoleOut, ...errors(400, 403, 404) },
      },
    },
    async (request) => {
      const role = await deps.roles.get(request.params.id);
      if (!role) throw new GatehouseError('NOT_FOUND', 'No such role.');
      const input = Array.isArray(request.body) ? describedPatch(omRole(role, shaping(undefined)), request.body) : request.body;
      return omRole(await deps.roles.update(role.id, input, auditContext(request)), shaping('gatehouse'));
    },
  );

  // OpenMetadata's DELETE is soft unless hardDelete=true: a soft-deleted role grants nothing until restored.
  const DeleteQuery = Strict({ hardDelete: Type.Optional(Type.Boolean()), recursive: Type.Optional(Type.Boolean()) });
  for (const path of ['/api/v1/roles/:id', '/api/v1/roles/name/:id']) {
    app.delete(path, { config, schema: { tags, params: IdParams, querystring: DeleteQuery, response: { 200: RoleOut, 204: Type.Null(), ...errors(400, 403, 404, 409) } } }, async (request, reply) => {
      const role = await deps.roles.get(request.params.id);
      if (!role) throw new GatehouseError('NOT_FOUND', 'No such role.');
      if (request.query.hardDelete) {
        await deps.roles.remove(role.id, auditContext(request));
        return reply.status(204).send(null);
      }
      return reply.status(200).send(omRole(await deps.roles.softDelete(role.id, principalOf(request).name, auditContext(request)), shaping(undefined)));
    });
  }

  app.put(
    '/api/v1/roles/restore',
    { config, schema: { tags, body: Strict({ id: Type.String({ minLength: 1, maxLength: 64 }) }), response: { 200: RoleOut, ...errors(400, 404) } } },
    async (request) => omRole(await deps.roles.restore(request.body.id, principalOf(request).name, auditContext(request)), shaping(undefined)),
  );
}
