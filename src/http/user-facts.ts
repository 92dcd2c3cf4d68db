import type { UserView } from '../users/index.js';
import type { AdminReason, User } from './api-schemas.js';
import type { AppDeps } from './deps.js';

/** The Gatehouse fields (`fields=gatehouse`) that need the configuration to read: provider names and the admin rule. */
export type UserFacts = Pick<User, 'roleGrants' | 'identities'> & { adminReason?: AdminReason };

/**
 * What a person needs to read their account that the stored user does not say: each sign-in provider's name for people
 * instead of its issuer URL, and which rule makes them an administrator. Both come from the configuration in memory,
 * so this adds no query to the hot "who am I" request.
 */
export function userFacts(deps: Pick<AppDeps, 'config' | 'sso'>): (user: UserView) => UserFacts {
  const providerName = providerNames(deps);
  const adminPrincipals = new Set(deps.config.authorizer.adminPrincipals);
  const adminReason = (user: UserView): AdminReason | undefined => {
    if (!user.isAdmin) return undefined;
    // Listed names are made administrators again at every sign-in, so this is the rule that holds, bootstrap or not.
    if (adminPrincipals.has(user.name)) return 'admin-principals';
    return user.isBootstrap ? 'bootstrap' : 'granted';
  };
  return (user) => {
    const reason = adminReason(user);
    return {
      roleGrants: user.roles.map(({ id, name, source }) => {
        // Sources name the provider by id: "group:<id>:<group>" or "provider-roles:<id>".
        const provider = providerName(/^(?:group:([^:]+):|provider-roles:(.+)$)/.exec(source)?.slice(1).find(Boolean) ?? null);
        return provider ? { id, name, source, providerName: provider } : { id, name, source };
      }),
      identities: user.identities.map((identity) => {
        const provider = deps.sso.providerForIssuer(identity.issuer);
        return provider ? { ...identity, providerName: provider.displayName } : identity;
      }),
      ...(reason ? { adminReason: reason } : {}),
    };
  };
}

/** A provider id ("onelogin") as its name for people ("OneLogin"), when it is configured. */
export function providerNames(deps: Pick<AppDeps, 'sso'>): (providerId: string | null) => string | undefined {
  return (providerId) => (providerId ? deps.sso.providers().find((p) => p.id === providerId)?.displayName : undefined);
}
