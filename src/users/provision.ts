import type { AuditContext, AuditLog } from '../audit/index.js';
import { derivePrincipal, isDomainAllowed, type PrincipalNameRules } from '../authz/index.js';
import { newId } from '../crypto/index.js';
import { GatehouseError } from '../errors/index.js';
import type { Clock } from '../shared/index.js';
import type { IdentityStore, RoleStore, UserRow, UserStore } from '../storage/index.js';

export interface SignInIdentity {
  providerId: string;
  issuer: string;
  subject: string;
  /** Verified ID token claims merged with userinfo. */
  claims: Readonly<Record<string, unknown>>;
  groups: readonly string[];
}

export interface ProvisioningRules extends PrincipalNameRules {
  enableSelfSignup: boolean;
  adminPrincipals: readonly string[];
  enforcePrincipalDomain: boolean;
  principalDomain: string | null;
  allowedDomains: readonly string[];
  useRolesFromProvider: boolean;
  /** Per provider: group -> role names, and the claim holding provider roles. */
  providers: Readonly<Record<string, { groupRoleMapping: Readonly<Record<string, readonly string[]>>; rolesClaim: string }>>;
}

/**
 * Turns a verified SSO sign-in into a Gatehouse user: matched by (issuer, subject), never by e-mail alone; new users
 * only with self-signup (or a pre-created user matched once by verified e-mail, then bound); roles re-synced from groups.
 */
export function createProvisioner(deps: {
  users: UserStore;
  identities: IdentityStore;
  roles: RoleStore;
  audit: AuditLog;
  clock: Clock;
  rules: ProvisioningRules;
  onUserChanged(userId: string): void;
}) {
  const { users, identities, roles, rules, clock, audit } = deps;

  async function findOrCreate(input: SignInIdentity, context: AuditContext): Promise<UserRow> {
    const linked = await identities.find(input.issuer, input.subject);
    if (linked) {
      const user = await users.findById(linked.user_id);
      if (user) return user;
    }
    const principal = derivePrincipal(input.claims, rules);
    if (!principal) throw new GatehouseError('SSO_NO_PRINCIPAL');
    const emailVerified = input.claims['email_verified'] !== false;
    const verifiedEmail = emailVerified ? principal.email : null;
    const now = clock.now();

    // A pre-created user (or one made by an admin before SSO) is bound once, by a verified e-mail that matches exactly.
    const byEmail = verifiedEmail ? await users.findByEmail(verifiedEmail) : undefined;
    let user = byEmail && byEmail.is_bot === 0 ? byEmail : undefined;
    if (!user) {
      if (!rules.enableSelfSignup) throw new GatehouseError('SSO_SIGNUP_DISABLED');
      if (await users.findByName(principal.name)) throw new GatehouseError('SSO_USER_CONFLICT');
      user = {
        id: newId(), name: principal.name, email: verifiedEmail, display_name: displayName(input.claims) ?? principal.name,
        is_admin: 0, is_bot: 0, disabled: 0, password_hash: null, must_change_password: 0, is_bootstrap: 0,
        created_at: now, updated_at: now,
      };
      await users.insert(user);
      await audit.record(context, { type: 'user.provision', outcome: 'success', target: { type: 'user', id: user.id, name: user.name }, details: { provider: input.providerId } });
    }
    const bound = await identities.link({ issuer: input.issuer, subject: input.subject, user_id: user.id, email: verifiedEmail, created_at: now, last_login_at: null });
    if (!bound) throw new GatehouseError('SSO_USER_CONFLICT');
    return user;
  }

  async function syncRoles(user: UserRow, input: SignInIdentity): Promise<void> {
    const provider = rules.providers[input.providerId];
    const grants: { roleId: string; source: string }[] = [];
    const now = clock.now();
    for (const group of input.groups) {
      for (const roleName of provider?.groupRoleMapping[group] ?? []) {
        const role = await roles.findByName(roleName);
        if (role) grants.push({ roleId: role.id, source: `group:${input.providerId}:${group}` });
      }
    }
    // Removed groups lose their roles: the whole set of this provider's group grants is replaced.
    await roles.replaceUserRolesByPrefix(user.id, `group:${input.providerId}:`, grants, now);
    if (rules.useRolesFromProvider && provider) {
      const claimed = input.claims[provider.rolesClaim];
      const names = Array.isArray(claimed) ? claimed.filter((x): x is string => typeof x === 'string') : [];
      const ids: string[] = [];
      for (const name of names) {
        const role = await roles.findByName(name);
        if (role) ids.push(role.id);
      }
      await roles.replaceUserRoles(user.id, `provider-roles:${input.providerId}`, ids, now);
    }
  }

  return {
    /** Finds or creates the user, enforces domain and state, syncs admin flag and roles. Throws coded errors. */
    async signIn(input: SignInIdentity, context: AuditContext): Promise<UserRow> {
      const claimedEmail = derivePrincipal(input.claims, rules)?.email ?? null;
      if (!isDomainAllowed(claimedEmail, rules)) throw new GatehouseError('SSO_DOMAIN_NOT_ALLOWED');
      let user = await findOrCreate(input, context);
      if (user.disabled === 1) throw new GatehouseError('USER_DISABLED');
      if (user.is_bot === 1) throw new GatehouseError('FORBIDDEN', 'Bot users cannot sign in.');
      if (rules.adminPrincipals.includes(user.name) && user.is_admin === 0) {
        user = (await users.update(user.id, { is_admin: 1, updated_at: clock.now() })) ?? user;
      }
      await syncRoles(user, input);
      await identities.touch(input.issuer, input.subject, clock.now(), claimedEmail);
      await users.update(user.id, { updated_at: clock.now() });
      deps.onUserChanged(user.id);
      return user;
    },
    /** Re-sync after a provider refresh (groups may have changed at the provider). */
    async resync(userId: string, input: SignInIdentity): Promise<void> {
      const user = await users.findById(userId);
      if (!user || user.disabled === 1) throw new GatehouseError('USER_DISABLED');
      await syncRoles(user, input);
      await users.update(user.id, { updated_at: clock.now() });
      deps.onUserChanged(user.id);
    },
  };
}

export type Provisioner = ReturnType<typeof createProvisioner>;

function displayName(claims: Readonly<Record<string, unknown>>): string | null {
  const name = claims['name'];
  if (typeof name === 'string' && name.trim()) return name.trim().slice(0, 256);
  const given = typeof claims['given_name'] === 'string' ? claims['given_name'] : '';
  const family = typeof claims['family_name'] === 'string' ? claims['family_name'] : '';
  return `${given} ${family}`.trim() || null;
}
