import type { RoleStore, UserRow, UserStore } from '../storage/index.js';
import { BASE_USER_PERMISSIONS } from './default-roles.js';
import { isPermission, type Permission } from './permissions.js';
import type { AuthMethod, Principal } from './principal.js';

interface CachedUser {
  user: UserRow;
  roles: string[];
  permissions: ReadonlySet<Permission>;
}

/**
 * Builds principals from users and their roles. Results are cached per user (bounded) because every authenticated
 * request needs one; `invalidate(userId)` is called on any role/flag change and on disable/delete, on every instance.
 */
export function createPrincipalLoader(deps: { users: UserStore; roles: RoleStore; maxEntries?: number }) {
  const cache = new Map<string, CachedUser>();
  const idByName = new Map<string, string>();
  const max = deps.maxEntries ?? 10_000;

  async function loadUser(user: UserRow): Promise<CachedUser> {
    const cached = cache.get(user.id);
    if (cached && cached.user.updated_at === user.updated_at) return cached;
    const grants = await deps.roles.rolesOfUser(user.id);
    const permissions = new Set<Permission>(user.is_bot ? [] : BASE_USER_PERMISSIONS);
    for (const grant of grants) {
      for (const p of JSON.parse(grant.role.permissions) as string[]) if (isPermission(p)) permissions.add(p);
    }
    const entry = { user, roles: [...new Set(grants.map((g) => g.role.name))], permissions };
    if (cache.size >= max) {
      const oldest = cache.keys().next().value as string;
      idByName.delete(cache.get(oldest)?.user.name ?? '');
      cache.delete(oldest);
    }
    cache.set(user.id, entry);
    idByName.set(user.name, user.id);
    return entry;
  }

  function toPrincipal(entry: CachedUser, method: AuthMethod, credentialId: string | null, scopes?: readonly Permission[] | null): Principal {
    const { user } = entry;
    // A limited personal token keeps only the intersection of its scopes and the owner's rights.
    const base = user.is_admin === 1 && scopes ? new Set<Permission>(scopes) : entry.permissions;
    const permissions = scopes ? new Set([...base].filter((p) => scopes.includes(p))) : base;
    return {
      userId: user.id,
      name: user.name,
      email: user.email,
      displayName: user.display_name,
      isAdmin: user.is_admin === 1,
      isBot: user.is_bot === 1,
      roles: entry.roles,
      permissions,
      method,
      credentialId,
      mustChangePassword: user.must_change_password === 1,
    };
  }

  return {
    /** The principal for an enabled user, or undefined when the user is missing or disabled. */
    async byId(userId: string, method: AuthMethod, credentialId: string | null, scopes?: readonly Permission[] | null): Promise<Principal | undefined> {
      const cached = cache.get(userId);
      const user = cached?.user ?? (await deps.users.findById(userId));
      if (!user || user.disabled === 1) return undefined;
      return toPrincipal(await loadUser(user), method, credentialId, scopes);
    },
    async byName(name: string, method: AuthMethod, credentialId: string | null, scopes?: readonly Permission[] | null): Promise<Principal | undefined> {
      const key = name.toLowerCase();
      const id = idByName.get(key);
      const cached = id === undefined ? undefined : cache.get(id);
      const user = cached?.user ?? (await deps.users.findByName(key));
      if (!user || user.disabled === 1) return undefined;
      return toPrincipal(await loadUser(user), method, credentialId, scopes);
    },
    /**
     * The current cache entry of a user, as an opaque marker: callers that keep a built principal (the verified-token
     * cache) reuse it only while this marker is unchanged, i.e. nothing about the user was invalidated meanwhile.
     */
    marker(userId: string): object | undefined {
      return cache.get(userId);
    },
    invalidate(userId: string): void {
      idByName.delete(cache.get(userId)?.user.name ?? '');
      cache.delete(userId);
    },
    clear(): void {
      cache.clear();
      idByName.clear();
    },
  };
}

export type PrincipalLoader = ReturnType<typeof createPrincipalLoader>;
