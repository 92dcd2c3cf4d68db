import type { Permission } from './permissions.js';
import type { Principal } from './principal.js';

/**
 * The one authorization decision. Pure: administrators pass every check except where a personal token narrowed
 * them (its permissions then already exclude the rest); everyone else needs the permission.
 */
export function can(principal: Pick<Principal, 'isAdmin' | 'permissions' | 'method' | 'mustChangePassword'>, permission: Permission): boolean {
  if (principal.mustChangePassword) return false;
  if (principal.isAdmin && principal.method !== 'personal-token') return true;
  return principal.permissions.has(permission);
}
