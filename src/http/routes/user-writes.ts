import { Type } from 'typebox';
import { GatehouseError } from '../../errors/index.js';
import { checkNewPassword, type CreateUserInput } from '../../users/index.js';
import { UserOut } from '../api-schemas.js';
import type { App } from '../app-types.js';
import { auditContext } from '../audit-context.js';
import { principalOf } from '../authenticate.js';
import type { AppDeps } from '../deps.js';
import { omUser, type Shaping } from '../openmetadata/entities.js';
import { JsonPatch } from '../openmetadata/json-patch.js';
import { userPatchToUpdate } from '../openmetadata/user-patch.js';
import { errors, IdParams, Strict } from '../schemas.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
/** Role ids (as OpenMetadata sends them) or names (as Gatehouse's UI and CLI do). */
const RoleKeys = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 100 });

/** OpenMetadata's CreateUser (api/teams/createUser.json), the fields Gatehouse can honour; others are refused. */
const CreateUser = Strict({
  name: Type.String({ minLength: 1, maxLength: 64 }),
  email: Type.Optional(Nullable(Type.String({ maxLength: 254 }))),
  displayName: Type.Optional(Nullable(Type.String({ maxLength: 256 }))),
  description: Type.Optional(Type.String({ maxLength: 0 })),
  isAdmin: Type.Optional(Type.Boolean()),
  isBot: Type.Optional(Type.Literal(false)),
  roles: Type.Optional(RoleKeys),
  teams: Type.Optional(Type.Array(Type.String(), { maxItems: 0 })),
  timezone: Type.Optional(Type.String({ maxLength: 64 })),
  password: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
  confirmPassword: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
  createPasswordType: Type.Optional(Type.Union([Type.Literal('ADMIN_CREATE'), Type.Literal('USER_CREATE')])),
});

type PasswordFields = { name: string; password?: string | undefined; confirmPassword?: string | undefined; createPasswordType?: 'ADMIN_CREATE' | 'USER_CREATE' | undefined };

/**
 * CreateUser's password, checked before the user is made so a refused password leaves no half-made account.
 * ADMIN_CREATE: the administrator's password, which the user must change at first sign-in. USER_CREATE (OpenMetadata
 * mails a link) is refused: Gatehouse sends no mail.
 */
function checkCreatePassword(body: PasswordFields, minLength: number): string | undefined {
  if (body.password === undefined && body.createPasswordType === undefined) return undefined;
  if (body.createPasswordType === 'USER_CREATE') {
    throw new GatehouseError('REQUEST_INVALID', 'createPasswordType USER_CREATE needs mail, which Gatehouse does not send: use ADMIN_CREATE with a password the user changes at first sign-in.');
  }
  if (body.password === undefined) throw new GatehouseError('REQUEST_INVALID', 'ADMIN_CREATE needs password and confirmPassword.');
  if (body.password !== body.confirmPassword) throw new GatehouseError('AUTH_PASSWORD_MISMATCH');
  checkNewPassword(body.password, { minLength, userName: body.name });
  return body.password;
}

const MergePatch = Strict({
  email: Type.Optional(Nullable(Type.String({ maxLength: 254 }))),
  displayName: Type.Optional(Nullable(Type.String({ maxLength: 256 }))),
  isAdmin: Type.Optional(Type.Boolean()),
  disabled: Type.Optional(Type.Boolean()),
  roles: Type.Optional(RoleKeys),
});

/** User writes: POST and PUT (create-or-update), PATCH (JSON Patch or merge), soft and hard DELETE, restore. */
export function registerUserWriteRoutes(app: App, deps: AppDeps, shaping: (fields: string | undefined) => Shaping): void {
  const tags = ['users'];
  const config = { permission: 'user:manage' as const };

  async function roleNames(keys: readonly string[] | undefined): Promise<string[] | undefined> {
    if (keys === undefined) return undefined;
    const names: string[] = [];
    for (const key of keys) {
      const role = await deps.roles.get(key);
      if (!role) throw new GatehouseError('REQUEST_INVALID', `There is no role named "${key}".`);
      names.push(role.name);
    }
    return names;
  }
  const createInput = async (body: { name: string; email?: string | null | undefined; displayName?: string | null | undefined; isAdmin?: boolean | undefined; roles?: string[] | undefined }): Promise<CreateUserInput> => ({
    name: body.name, email: body.email, displayName: body.displayName, isAdmin: body.isAdmin, roles: await roleNames(body.roles),
  });

  /** Creates the user, then sets CreateUser's password through the same reset as changePassword requestType USER. */
  async function createWithPassword(actor: ReturnType<typeof principalOf>, body: PasswordFields & Parameters<typeof createInput>[0], context: ReturnType<typeof auditContext>) {
    const password = checkCreatePassword(body, deps.config.login.minPasswordLength);
    const user = await deps.users.create(actor, await createInput(body), context);
    if (password === undefined) return user;
    await deps.basicSignIn.resetPassword(actor, user.name, password, password, context);
    return (await deps.users.get(user.id)) ?? user;
  }

  app.post('/api/v1/users', { config, schema: { tags, body: CreateUser, response: { 201: UserOut, ...errors(400, 401, 403, 409) } } }, async (request, reply) => {
    const user = await createWithPassword(principalOf(request), request.body, auditContext(request));
    return reply.status(201).send(omUser(user, shaping(undefined)));
  });

  // OpenMetadata's SDK writes with PUT: create the user, or update the one with this name.
  app.put('/api/v1/users', { config, schema: { tags, body: CreateUser, response: { 200: UserOut, 201: UserOut, ...errors(400, 401, 403, 409) } } }, async (request, reply) => {
    const input = await createInput(request.body);
    const existing = await deps.users.getByName(input.name);
    if (!existing) return reply.status(201).send(omUser(await createWithPassword(principalOf(request), request.body, auditContext(request)), shaping(undefined)));
    if (request.body.password !== undefined) throw new GatehouseError('REQUEST_INVALID', 'A password is set when the user is made; change it with PUT /api/v1/users/changePassword.');
    if (existing.isBot) throw new GatehouseError('REQUEST_INVALID', 'This is a bot user; change the bot at /api/v1/bots instead.');
    const { email, displayName, isAdmin, roles } = input;
    const updated = await deps.users.update(principalOf(request), existing.id, { email, displayName, isAdmin, roles }, auditContext(request));
    return omUser(updated, shaping(undefined));
  });

  app.patch(
    '/api/v1/users/:id',
    { config, schema: { tags, params: IdParams, body: Type.Union([JsonPatch, MergePatch]), response: { 200: UserOut, ...errors(400, 401, 403, 404, 409) } } },
    async (request) => {
      const actor = principalOf(request);
      const current = await deps.users.get(request.params.id);
      if (!current) throw new GatehouseError('NOT_FOUND', 'No such user.');
      const body = request.body;
      const input = Array.isArray(body)
        ? await userPatchToUpdate(current, omUser(current, shaping(undefined)), body, async (key) => (await deps.roles.get(key))?.name)
        : { ...body, roles: await roleNames(body.roles) };
      return omUser(await deps.users.update(actor, current.id, input, auditContext(request)), shaping(undefined));
    },
  );

  app.delete(
    '/api/v1/users/:id',
    {
      config,
      schema: { tags, params: IdParams, querystring: Strict({ hardDelete: Type.Optional(Type.Boolean()), recursive: Type.Optional(Type.Boolean()) }), response: { 200: UserOut, 204: Type.Null(), ...errors(400, 401, 403, 404, 409) } },
    },
    async (request, reply) => {
      if (request.query.hardDelete) {
        await deps.users.remove(request.params.id, auditContext(request));
        return reply.status(204).send(null);
      }
      await deps.users.softDelete(principalOf(request), request.params.id, auditContext(request));
      const user = await deps.users.get(request.params.id);
      if (!user) throw new GatehouseError('NOT_FOUND', 'No such user.');
      return reply.status(200).send(omUser(user, shaping(undefined)));
    },
  );

  app.put(
    '/api/v1/users/restore',
    { config, schema: { tags, body: Strict({ id: Type.String({ minLength: 1, maxLength: 64 }) }), response: { 200: UserOut, ...errors(400, 401, 403, 404) } } },
    async (request) => omUser(await deps.users.restore(principalOf(request), request.body.id, auditContext(request)), shaping(undefined)),
  );
}
