import type { AuditContext, AuditLog } from '../audit/index.js';
import type { Principal } from '../authz/index.js';
import { newId } from '../crypto/index.js';
import { GatehouseError } from '../errors/index.js';
import { nextEntityVersion, type Clock } from '../shared/index.js';
import type { IdentityStore, RoleStore, UserListQuery, UserPatch, UserRow, UserStore } from '../storage/index.js';
import { normalizeEmail, normalizeUserName } from './names.js';
import type { UserViewCache } from './user-view-cache.js';
import { toUserView, type UserView } from './user-view.js';

/** Called when a user can no longer act (disabled or deleted), so tokens, caches and sessions die with it. */
export type UserDeactivatedHook = (userId: string) => Promise<void>;

export interface UserServiceDeps {
  users: UserStore;
  roles: RoleStore;
  identities: IdentityStore;
  audit: AuditLog;
  clock: Clock;
  onUserDeactivated: UserDeactivatedHook;
  /** Called after any change that alters what a user may do (roles, admin flag), to drop cached principals. */
  onUserChanged: (userId: string) => void;
  /** Views by user id, kept exact by the change feed (core.ts); `get` answers from it. */
  views: UserViewCache;
}

export interface CreateUserInput {
  name: string;
  email?: string | null | undefined;
  displayName?: string | null | undefined;
  isAdmin?: boolean | undefined;
  roles?: string[] | undefined;
}

export interface UpdateUserInput {
  email?: string | null | undefined;
  displayName?: string | null | undefined;
  isAdmin?: boolean | undefined;
  disabled?: boolean | undefined;
  roles?: string[] | undefined;
}

export type Actor = Pick<Principal, 'userId' | 'name' | 'isAdmin'>;

/** User administration with the rules that protect the system: no self-promotion, no bot flag, never zero admins. */
export function createUserService(deps: UserServiceDeps) {
  const { users, roles, identities, audit, clock } = deps;

  async function view(user: UserRow): Promise<UserView> {
    const [grants, links] = await Promise.all([roles.rolesOfUser(user.id), identities.listForUser(user.id)]);
    return toUserView(user, grants, links);
  }

  async function roleIds(names: readonly string[]): Promise<string[]> {
    const ids: string[] = [];
    for (const name of names) {
      const role = await roles.findByName(name);
      // A soft-deleted role grants nothing; giving it to someone would only look like a grant.
      if (!role || role.deleted === 1) throw new GatehouseError('REQUEST_INVALID', `There is no role named "${name}".`);
      ids.push(role.id);
    }
    return ids;
  }

  async function requireUser(id: string): Promise<UserRow> {
    const user = await users.findById(id);
    if (!user) throw new GatehouseError('NOT_FOUND', 'No such user.');
    return user;
  }


  return {
    view,
    /** The raw row (for token issuing); never sent over HTTP. */
    rowById: (id: string) => users.findById(id),
    /** A user's view; from the cache when nothing about the user changed since it was read. */
    async get(id: string): Promise<UserView | undefined> {
      const cached = deps.views.get(id);
      if (cached) return cached;
      const since = deps.views.generation();
      const user = await users.findById(id);
      if (!user) return undefined;
      const fresh = await view(user);
      deps.views.set(id, fresh, since);
      return fresh;
    },
    async getByName(name: string): Promise<UserView | undefined> {
      const user = await users.findByName(name.toLowerCase());
      return user ? view(user) : undefined;
    },
    /** OpenMetadata's checkEmailInUse. */
    async emailInUse(email: string): Promise<boolean> {
      return (await users.findByEmail(normalizeEmail(email))) !== undefined;
    },
    async list(query: UserListQuery) {
      const { rows, total } = await users.list(query);
      // Two queries for the whole page (grants, identities), not two per row.
      const ids = rows.map((u) => u.id);
      const [grants, links] = await Promise.all([roles.rolesOfUsers(ids), identities.listForUsers(ids)]);
      return { data: rows.map((u) => toUserView(u, grants.get(u.id) ?? [], links.get(u.id) ?? [])), total };
    },

    async create(actor: Actor, input: CreateUserInput, context: AuditContext): Promise<UserView> {
      if (input.isAdmin && !actor.isAdmin) throw new GatehouseError('USER_FLAG_FORBIDDEN');
      const name = normalizeUserName(input.name);
      const email = input.email ? normalizeEmail(input.email) : null;
      if (await users.findByName(name)) throw new GatehouseError('CONFLICT', `A user named "${name}" exists.`);
      if (email && (await users.findByEmail(email))) throw new GatehouseError('CONFLICT', 'A user with this e-mail exists.');
      const ids = await roleIds(input.roles ?? []);
      const now = clock.now();
      const row: UserRow = {
        id: newId(), name, email, display_name: input.displayName ?? null, is_admin: input.isAdmin ? 1 : 0, is_bot: 0,
        disabled: 0, password_hash: null, must_change_password: 0, is_bootstrap: 0, created_at: now, updated_at: now, updated_by: actor.name,
      };
      await users.insert(row);
      if (ids.length) await roles.replaceUserRoles(row.id, 'manual', ids, now);
      await audit.record(context, { type: 'user.create', outcome: 'success', target: { type: 'user', id: row.id, name }, details: { isAdmin: row.is_admin === 1, roles: input.roles ?? [] } });
      return view(row);
    },

    async update(actor: Actor, id: string, input: UpdateUserInput, context: AuditContext): Promise<UserView> {
      const user = await requireUser(id);
      // A soft-deleted user stays disabled until restored: an edit must not bring it back half-way.
      if (user.deleted === 1) throw new GatehouseError('REQUEST_INVALID', 'This user is deleted; restore it first (PUT /api/v1/users/restore).');
      const patch: UserPatch = {};
      if (input.isAdmin !== undefined && input.isAdmin !== (user.is_admin === 1)) {
        // Nobody changes their own admin flag (no self-promotion, no accidental self-lockout); only admins grant it.
        if (!actor.isAdmin || actor.userId === id || user.is_bot === 1) throw new GatehouseError('USER_FLAG_FORBIDDEN');
        patch.is_admin = input.isAdmin ? 1 : 0;
      }
      if (input.disabled !== undefined && input.disabled !== (user.disabled === 1)) {
        patch.disabled = input.disabled ? 1 : 0;
      }
      if (input.email !== undefined) {
        const email = input.email === null ? null : normalizeEmail(input.email);
        const owner = email ? await users.findByEmail(email) : undefined;
        if (owner && owner.id !== id) throw new GatehouseError('CONFLICT', 'A user with this e-mail exists.');
        patch.email = email;
      }
      if (input.displayName !== undefined) patch.display_name = input.displayName;
      const now = clock.now();
      patch.updated_at = now;
      patch.version = nextEntityVersion(user);
      patch.updated_by = actor.name;
      // Demoting or disabling an admin goes through the atomic last-admin check; other changes are plain updates.
      const losesAdmin = user.is_admin === 1 && (patch.is_admin === 0 || patch.disabled === 1);
      if (losesAdmin && (await users.changeUnlessLastAdmin(id, patch)) === 'last-admin') throw new GatehouseError('USER_LAST_ADMIN');
      const updated = (losesAdmin ? await users.findById(id) : await users.update(id, patch)) ?? user;
      if (input.roles !== undefined) await roles.replaceUserRoles(id, 'manual', await roleIds(input.roles), now);
      deps.onUserChanged(id);
      if (patch.disabled === 1) await deps.onUserDeactivated(id);
      await audit.record(context, {
        type: patch.disabled === 1 ? 'user.disable' : 'user.update',
        outcome: 'success',
        target: { type: 'user', id, name: user.name },
        details: { changed: Object.keys(input), ...(input.roles ? { roles: input.roles } : {}), ...(input.isAdmin !== undefined ? { isAdmin: input.isAdmin } : {}) },
      });
      return view(updated);
    },

    /** OpenMetadata's soft delete: the user is disabled (everything it holds ends) and hidden until restored. */
    async softDelete(actor: Actor, id: string, context: AuditContext): Promise<void> {
      const user = await requireUser(id);
      if (user.is_bot === 1) throw new GatehouseError('REQUEST_INVALID', 'This is a bot user; delete the bot at /api/v1/bots instead.');
      if (user.deleted === 1) throw new GatehouseError('NOT_FOUND', 'No such user.');
      const patch: UserPatch = { deleted: 1, disabled: 1, updated_at: clock.now(), version: nextEntityVersion(user), updated_by: actor.name };
      if ((await users.changeUnlessLastAdmin(id, patch)) === 'last-admin') throw new GatehouseError('USER_LAST_ADMIN');
      await deps.onUserDeactivated(id);
      deps.onUserChanged(id);
      await audit.record(context, { type: 'user.delete', outcome: 'success', target: { type: 'user', id, name: user.name }, details: { soft: true } });
    },

    /** Undoes a soft delete: the user may sign in again (a restore also clears `disabled`). */
    async restore(actor: Actor, id: string, context: AuditContext): Promise<UserView> {
      const user = await requireUser(id);
      // A bot user comes back only with its bot (which re-enables its token): restoring it alone would revive the token.
      if (user.is_bot === 1) throw new GatehouseError('REQUEST_INVALID', 'This is a bot user; restore the bot at /api/v1/bots/restore instead.');
      if (user.deleted !== 1) throw new GatehouseError('REQUEST_INVALID', 'This user is not deleted.');
      const updated = await users.update(id, { deleted: 0, disabled: 0, updated_at: clock.now(), version: nextEntityVersion(user), updated_by: actor.name });
      deps.onUserChanged(id);
      await audit.record(context, { type: 'user.update', outcome: 'success', target: { type: 'user', id, name: user.name }, details: { restored: true } });
      return view(updated ?? user);
    },

    async remove(id: string, context: AuditContext, options: { allowBot?: boolean } = {}): Promise<void> {
      const user = await requireUser(id);
      if (user.is_bot === 1 && !options.allowBot) {
        throw new GatehouseError('REQUEST_INVALID', 'This is a bot user; delete the bot at /api/v1/bots instead.');
      }
      if ((await users.changeUnlessLastAdmin(id, null)) === 'last-admin') throw new GatehouseError('USER_LAST_ADMIN');
      await deps.onUserDeactivated(id);
      deps.onUserChanged(id);
      await audit.record(context, { type: 'user.delete', outcome: 'success', target: { type: 'user', id, name: user.name } });
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
