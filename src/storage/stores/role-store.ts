import type { Kysely } from 'kysely';
import type { Database, RolesTable } from '../schema/index.js';

export type RoleRow = RolesTable;
export interface UserRoleRow {
  role: RoleRow;
  source: string;
}

/** Roles and which users hold them, with the reason (source) each grant exists. */
export interface RoleStore {
  insert(row: RoleRow): Promise<void>;
  list(): Promise<RoleRow[]>;
  findById(id: string): Promise<RoleRow | undefined>;
  findByName(name: string): Promise<RoleRow | undefined>;
  update(id: string, patch: Partial<Omit<RoleRow, 'id' | 'created_at'>>): Promise<RoleRow | undefined>;
  delete(id: string): Promise<boolean>;
  /** The user's grants of live roles: a soft-deleted role's grants stay stored (a restore brings them back) but grant nothing. */
  rolesOfUser(userId: string): Promise<UserRoleRow[]>;
  /** The grants of several users in one query (a page of the users list), by user id; users without grants are absent. */
  rolesOfUsers(userIds: readonly string[]): Promise<Map<string, UserRoleRow[]>>;
  /** Replaces the user's grants that come from `source` with exactly `roleIds` (in one transaction). */
  replaceUserRoles(userId: string, source: string, roleIds: readonly string[], now: number): Promise<void>;
  /** Replaces every grant whose source starts with `sourcePrefix` (e.g. all groups of one provider). */
  replaceUserRolesByPrefix(userId: string, sourcePrefix: string, grants: readonly { roleId: string; source: string }[], now: number): Promise<void>;
  countUsersWithRole(roleId: string): Promise<number>;
}

export function createRoleStore(db: Kysely<Database>): RoleStore {
  return {
    async insert(row) {
      await db.insertInto('roles').values(row).execute();
    },
    list: () => db.selectFrom('roles').selectAll().orderBy('name').execute(),
    findById: (id) => db.selectFrom('roles').selectAll().where('id', '=', id).executeTakeFirst(),
    findByName: (name) => db.selectFrom('roles').selectAll().where('name', '=', name).executeTakeFirst(),
    async update(id, patch) {
      if (Object.keys(patch).length > 0) await db.updateTable('roles').set(patch).where('id', '=', id).execute();
      return db.selectFrom('roles').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async delete(id) {
      const result = await db.deleteFrom('roles').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async rolesOfUser(userId) {
      const rows = await db
        .selectFrom('user_roles')
        .innerJoin('roles', 'roles.id', 'user_roles.role_id')
        .selectAll('roles')
        .select('user_roles.source as source')
        .where('user_roles.user_id', '=', userId)
        .where('roles.deleted', '=', 0)
        .orderBy('roles.name')
        .execute();
      return rows.map(({ source, ...role }) => ({ role, source }));
    },
    async rolesOfUsers(userIds) {
      const byUser = new Map<string, UserRoleRow[]>();
      if (userIds.length === 0) return byUser;
      const rows = await db
        .selectFrom('user_roles')
        .innerJoin('roles', 'roles.id', 'user_roles.role_id')
        .selectAll('roles')
        .select(['user_roles.source as source', 'user_roles.user_id as user_id'])
        .where('user_roles.user_id', 'in', [...new Set(userIds)])
        .where('roles.deleted', '=', 0)
        .orderBy('roles.name')
        .execute();
      for (const { source, user_id, ...role } of rows) {
        const list = byUser.get(user_id) ?? [];
        list.push({ role, source });
        byUser.set(user_id, list);
      }
      return byUser;
    },
    async replaceUserRoles(userId, source, roleIds, now) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('user_roles').where('user_id', '=', userId).where('source', '=', source).execute();
        const unique = [...new Set(roleIds)];
        if (unique.length > 0) {
          await trx
            .insertInto('user_roles')
            .values(unique.map((roleId) => ({ user_id: userId, role_id: roleId, source, created_at: now })))
            .execute();
        }
      });
    },
    async replaceUserRolesByPrefix(userId, sourcePrefix, grants, now) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('user_roles').where('user_id', '=', userId).where('source', 'like', `${sourcePrefix}%`).execute();
        const unique = new Map(grants.map((g) => [`${g.roleId}\u0000${g.source}`, g]));
        if (unique.size > 0) {
          await trx
            .insertInto('user_roles')
            .values([...unique.values()].map((g) => ({ user_id: userId, role_id: g.roleId, source: g.source, created_at: now })))
            .execute();
        }
      });
    },
    async countUsersWithRole(roleId) {
      const row = await db
        .selectFrom('user_roles')
        .select((eb) => eb.fn.count<number>('user_id').distinct().as('n'))
        .where('role_id', '=', roleId)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
