import type { AuditContext, AuditLog } from '../audit/index.js';
import { isPermission } from '../authz/index.js';
import { newId } from '../crypto/index.js';
import { GatehouseError } from '../errors/index.js';
import { nextEntityVersion, type Clock } from '../shared/index.js';
import type { RoleRow, RoleStore } from '../storage/index.js';

export interface RoleView {
  id: string;
  name: string;
  displayName: string | null;
  description: string | null;
  permissions: string[];
  isSystem: boolean;
  /** Epoch milliseconds. */
  updatedAt: number;
  version: number;
  updatedBy: string | null;
  /** Soft-deleted (restorable): grants nothing, hidden from lists unless asked for. */
  deleted: boolean;
}

export function toRoleView(row: RoleRow): RoleView {
  return {
    id: row.id,
    name: row.name,
    displayName: row.display_name,
    description: row.description,
    permissions: JSON.parse(row.permissions) as string[],
    isSystem: row.is_system === 1,
    updatedAt: row.updated_at,
    version: row.version ?? 0.1,
    updatedBy: row.updated_by ?? null,
    deleted: row.deleted === 1,
  };
}

function checkPermissions(list: readonly string[]): string[] {
  const unknown = list.filter((p) => !isPermission(p));
  if (unknown.length) throw new GatehouseError('REQUEST_INVALID', `Unknown permission(s): ${unknown.slice(0, 5).join(', ')}.`);
  return [...new Set(list)];
}

/** Roles are data: admins create and edit them; seeded roles can be edited but not deleted. */
export function createRoleService(deps: { roles: RoleStore; audit: AuditLog; clock: Clock; onRolesChanged(): void }) {
  const { roles, audit, clock } = deps;

  /** Soft delete (deleted = 1) or restore (0): every instance drops its cached principals, as for any role change. */
  async function setDeleted(id: string, deleted: 0 | 1, actor: string, context: AuditContext): Promise<RoleView> {
    const existing = await roles.findById(id);
    if (!existing || (deleted === 1 && existing.deleted === 1)) throw new GatehouseError('NOT_FOUND', 'No such role.');
    if (deleted === 0 && existing.deleted !== 1) throw new GatehouseError('REQUEST_INVALID', 'This role is not deleted.');
    if (deleted === 1 && existing.is_system === 1) throw new GatehouseError('CONFLICT', 'Default roles cannot be deleted; edit their permissions instead.');
    const updated = await roles.update(id, { deleted, updated_at: clock.now(), version: nextEntityVersion(existing), updated_by: actor });
    deps.onRolesChanged();
    await audit.record(context, {
      type: deleted === 1 ? 'role.delete' : 'role.update', outcome: 'success', target: { type: 'role', id, name: existing.name },
      details: deleted === 1 ? { soft: true } : { restored: true },
    });
    return toRoleView(updated ?? existing);
  }

  return {
    async list(): Promise<RoleView[]> {
      return (await roles.list()).map(toRoleView);
    },
    async get(id: string): Promise<RoleView | undefined> {
      const row = (await roles.findById(id)) ?? (await roles.findByName(id));
      return row ? toRoleView(row) : undefined;
    },
    async create(input: { name: string; displayName?: string | undefined; description?: string | undefined; permissions: string[] }, context: AuditContext): Promise<RoleView> {
      if (!/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/.test(input.name)) {
        throw new GatehouseError('REQUEST_INVALID', 'A role name starts with a letter and holds letters, digits, "_", "." and "-".');
      }
      if (await roles.findByName(input.name)) throw new GatehouseError('CONFLICT', `A role named "${input.name}" exists.`);
      const now = clock.now();
      const row: RoleRow = {
        id: newId(), name: input.name, display_name: input.displayName ?? null, description: input.description ?? null,
        permissions: JSON.stringify(checkPermissions(input.permissions)), is_system: 0, created_at: now, updated_at: now,
      };
      await roles.insert(row);
      await audit.record(context, { type: 'role.create', outcome: 'success', target: { type: 'role', id: row.id, name: row.name }, details: { permissions: input.permissions } });
      return toRoleView(row);
    },
    async update(id: string, input: { displayName?: string | undefined; description?: string | undefined; permissions?: string[] | undefined }, context: AuditContext): Promise<RoleView> {
      const existing = await roles.findById(id);
      if (!existing) throw new GatehouseError('NOT_FOUND', 'No such role.');
      // As for users: an edit must not half-revive a deleted role; it is restored explicitly.
      if (existing.deleted === 1) throw new GatehouseError('REQUEST_INVALID', 'This role is deleted; restore it first (PUT /api/v1/roles/restore).');
      const updated = await roles.update(id, {
        ...(input.displayName !== undefined ? { display_name: input.displayName } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.permissions !== undefined ? { permissions: JSON.stringify(checkPermissions(input.permissions)) } : {}),
        updated_at: clock.now(),
        version: nextEntityVersion(existing),
      });
      deps.onRolesChanged();
      await audit.record(context, { type: 'role.update', outcome: 'success', target: { type: 'role', id, name: existing.name }, details: { changed: Object.keys(input) } });
      return toRoleView(updated ?? existing);
    },
    /** OpenMetadata's soft delete: the role stays (restorable) and its grants stay stored, but it grants nothing. */
    softDelete: (id: string, actor: string, context: AuditContext) => setDeleted(id, 1, actor, context),
    restore: (id: string, actor: string, context: AuditContext) => setDeleted(id, 0, actor, context),
    /** Hard delete (also of a soft-deleted role): the role and every grant of it go for good. */
    async remove(id: string, context: AuditContext): Promise<void> {
      const existing = await roles.findById(id);
      if (!existing) throw new GatehouseError('NOT_FOUND', 'No such role.');
      if (existing.is_system === 1) throw new GatehouseError('CONFLICT', 'Default roles cannot be deleted; edit their permissions instead.');
      await roles.delete(id);
      deps.onRolesChanged();
      await audit.record(context, { type: 'role.delete', outcome: 'success', target: { type: 'role', id, name: existing.name } });
    },
  };
}

export type RoleService = ReturnType<typeof createRoleService>;
