import type { IdentityRow, UserRoleRow, UserRow } from '../storage/index.js';

/** A user as the API shows it (OpenMetadata-like field names); never includes the password hash. */
export interface UserView {
  id: string;
  name: string;
  email: string | null;
  displayName: string | null;
  isAdmin: boolean;
  /** The administrator account created at first start (bootstrap); the HTTP layer says so on the profile. */
  isBootstrap: boolean;
  isBot: boolean;
  disabled: boolean;
  mustChangePassword: boolean;
  roles: { id: string; name: string; displayName: string | null; source: string }[];
  /** Groups learned from a provider at the last sign-in (those that map to roles). */
  groups: string[];
  identities: { issuer: string; lastLoginAt: string | null }[];
  /** Epoch milliseconds. */
  createdAt: number;
  /** Epoch milliseconds (OpenMetadata's `updatedAt`). */
  updatedAt: number;
  /** OpenMetadata's entity version: 0.1 at creation, +0.1 per change. */
  version: number;
  updatedBy: string | null;
  /** Soft-deleted (restorable); a deleted user is also disabled. */
  deleted: boolean;
}

export function toUserView(user: UserRow, roles: UserRoleRow[], identities: IdentityRow[]): UserView {
  const groups = new Set<string>();
  for (const r of roles) {
    const match = /^group:[^:]+:(.+)$/.exec(r.source);
    if (match?.[1]) groups.add(match[1]);
  }
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    displayName: user.display_name,
    isAdmin: user.is_admin === 1,
    isBootstrap: user.is_bootstrap === 1,
    isBot: user.is_bot === 1,
    disabled: user.disabled === 1,
    mustChangePassword: user.must_change_password === 1,
    roles: roles.map((r) => ({ id: r.role.id, name: r.role.name, displayName: r.role.display_name, source: r.source })),
    groups: [...groups].sort(),
    identities: identities.map((i) => ({
      issuer: i.issuer,
      lastLoginAt: i.last_login_at === null ? null : new Date(i.last_login_at).toISOString(),
    })),
    createdAt: user.created_at,
    updatedAt: user.updated_at,
    version: user.version ?? 0.1,
    updatedBy: user.updated_by ?? null,
    deleted: user.deleted === 1,
  };
}
