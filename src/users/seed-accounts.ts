import type { AuditLog } from '../audit/index.js';
import type { Clock } from '../shared/index.js';
import type { RoleStore, UserStore } from '../storage/index.js';
import { ensureBootstrapAdmins, seedDefaultRoles, type BootstrapResult } from './bootstrap.js';

export interface SeedAccountsDeps {
  roles: RoleStore;
  users: UserStore;
  audit: AuditLog;
  clock: Clock;
  /** Bootstrap admins sign in with a password: without password sign-in there is nothing to create. */
  basicSignInEnabled: boolean;
  adminPrincipals: readonly string[];
  principalDomain: string | null;
  password: string | null;
  passwordFile: string | null;
}

/** What every start writes before serving: the default roles, then the bootstrap administrators. */
export async function seedAccounts(deps: SeedAccountsDeps): Promise<BootstrapResult[]> {
  await seedDefaultRoles(deps.roles, deps.clock);
  if (!deps.basicSignInEnabled) return [];
  return ensureBootstrapAdmins({
    users: deps.users, audit: deps.audit, clock: deps.clock, adminPrincipals: deps.adminPrincipals,
    principalDomain: deps.principalDomain, password: deps.password, passwordFile: deps.passwordFile,
  });
}
