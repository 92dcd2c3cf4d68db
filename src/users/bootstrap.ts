import { readFileSync } from 'node:fs';
import type { AuditLog } from '../audit/index.js';
import { SYSTEM_CONTEXT } from '../audit/index.js';
import { DEFAULT_ROLES } from '../authz/index.js';
import { hashPassword, newId, randomPassword } from '../crypto/index.js';
import { GatehouseError } from '../errors/index.js';
import type { Clock } from '../shared/index.js';
import type { RoleStore, UserStore } from '../storage/index.js';
import { normalizeUserName } from './names.js';

const samePermissions = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((p) => b.includes(p));

/**
 * Creates the default roles that are missing. Existing roles edited by administrators are left as they are; a default
 * role still holding an earlier release's permissions exactly is brought up to date.
 */
export async function seedDefaultRoles(roles: RoleStore, clock: Clock): Promise<void> {
  for (const def of DEFAULT_ROLES) {
    const existing = await roles.findByName(def.name);
    if (existing) {
      const stored = JSON.parse(existing.permissions) as string[];
      if (existing.is_system === 1 && def.previousPermissions?.some((old) => samePermissions(old, stored))) {
        await roles.update(existing.id, { permissions: JSON.stringify(def.permissions), description: def.description, updated_at: clock.now() });
      }
      continue;
    }
    const now = clock.now();
    try {
      await roles.insert({
        id: newId(), name: def.name, display_name: def.displayName, description: def.description,
        permissions: JSON.stringify(def.permissions), is_system: 1, created_at: now, updated_at: now,
      });
    } catch (error) {
      // Another instance seeded it at the same moment.
      if (!(await roles.findByName(def.name))) throw error;
    }
  }
}

export interface BootstrapResult {
  name: string;
  /** Present only when generated here: print it once, it is never stored in clear. */
  generatedPassword: string | null;
}

/**
 * With password sign-in enabled, each AUTHORIZER_ADMIN_PRINCIPALS name without an account gets one, with a random
 * one-time password (or GATEHOUSE_ADMIN_PASSWORD / its file) that must be changed at first sign-in. Never admin/admin.
 */
export async function ensureBootstrapAdmins(deps: {
  users: UserStore;
  audit: AuditLog;
  clock: Clock;
  adminPrincipals: readonly string[];
  principalDomain: string | null;
  password: string | null;
  passwordFile: string | null;
}): Promise<BootstrapResult[]> {
  let configured = deps.password;
  if (!configured && deps.passwordFile) {
    try {
      configured = readFileSync(deps.passwordFile, 'utf8').trim();
    } catch (error) {
      throw new GatehouseError('CONFIG_INVALID', `GATEHOUSE_ADMIN_PASSWORD_FILE cannot be read: ${deps.passwordFile}`, { cause: error });
    }
  }
  const created: BootstrapResult[] = [];
  for (const principal of deps.adminPrincipals) {
    const name = normalizeUserName(principal);
    if (await deps.users.findByName(name)) continue;
    const password = configured ?? randomPassword();
    const now = deps.clock.now();
    const email = deps.principalDomain ? `${name}@${deps.principalDomain}` : null;
    try {
      await deps.users.insert({
        id: newId(), name, email: email && !(await deps.users.findByEmail(email)) ? email : null, display_name: name,
        is_admin: 1, is_bot: 0, disabled: 0, password_hash: await hashPassword(password), must_change_password: 1,
        is_bootstrap: 1, created_at: now, updated_at: now,
      });
    } catch (error) {
      if (await deps.users.findByName(name)) continue;
      throw error;
    }
    await deps.audit.record(SYSTEM_CONTEXT, { type: 'user.bootstrap', outcome: 'success', target: { type: 'user', name } });
    created.push({ name, generatedPassword: configured ? null : password });
  }
  return created;
}
