/**
 * Permissions are data: every action a role can grant is listed here, and roles hold lists of them.
 * `entity:*` actions are for the metadata platform that trusts Gatehouse's tokens; the rest guard Gatehouse itself.
 */
export const PERMISSIONS = [
  'entity:view',
  'entity:editDescription',
  'entity:editDisplayName',
  'entity:editTags',
  'entity:editOwners',
  'entity:editLineage',
  'entity:create',
  'entity:edit',
  'entity:delete',
  'ingestion:run',
  'user:view',
  'user:manage',
  'role:manage',
  'bot:manage',
  'token:manageOwn',
  'token:introspect',
  'session:manageOwn',
  'audit:view',
  'key:manage',
  'system:diagnostics',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}
