import { describe, expect, it } from 'vitest';
import type { UserView } from '../users/index.js';
import type { AppDeps } from './deps.js';
import { providerNames, userFacts } from './user-facts.js';

const ISSUER = 'https://acme.onelogin.com/oidc/2';
const deps = {
  config: { authorizer: { adminPrincipals: ['alice'] } },
  sso: {
    providerForIssuer: (iss: string | undefined) => (iss === ISSUER ? { id: 'onelogin', displayName: 'OneLogin' } : undefined),
    providers: () => [{ id: 'onelogin', displayName: 'OneLogin' }],
  },
} as unknown as Pick<AppDeps, 'config' | 'sso'>;

const user = (over: Partial<UserView>): UserView => ({
  id: 'u1', name: 'bob', email: null, displayName: null, isAdmin: false, isBootstrap: false, isBot: false, disabled: false,
  mustChangePassword: false, roles: [], groups: [], identities: [], createdAt: 0, updatedAt: 0, version: 0.1, updatedBy: null, deleted: false, ...over,
});

describe('userFacts: the profile says which rule makes someone an administrator, and names providers for people', () => {
  it.each([
    ['listed in AUTHORIZER_ADMIN_PRINCIPALS (also when it is the bootstrap account)', user({ name: 'alice', isAdmin: true, isBootstrap: true }), 'admin-principals'],
    ['the account made at first start, no longer listed', user({ name: 'root', isAdmin: true, isBootstrap: true }), 'bootstrap'],
    ['made an administrator by another', user({ name: 'carol', isAdmin: true }), 'granted'],
    ['not an administrator, though listed', user({ name: 'alice', isAdmin: false }), undefined],
  ] as const)('%s', (_case, view, reason) => {
    expect(userFacts(deps)(view).adminReason).toBe(reason);
  });

  it('names a configured provider by its display name and leaves an unknown issuer as it is', () => {
    const described = userFacts(deps)(user({
      identities: [{ issuer: ISSUER, lastLoginAt: null }, { issuer: 'https://gone.example.com', lastLoginAt: null }],
    }));
    expect(described.identities).toEqual([
      { issuer: ISSUER, lastLoginAt: null, providerName: 'OneLogin' },
      { issuer: 'https://gone.example.com', lastLoginAt: null },
    ]);
    const roles = userFacts(deps)(user({
      roles: [
        { id: 'r1', name: 'DataSteward', displayName: null, source: 'group:onelogin:data-stewards' },
        { id: 'r2', name: 'DataConsumer', displayName: null, source: 'provider-roles:onelogin' },
        { id: 'r3', name: 'Auditor', displayName: null, source: 'manual' },
      ],
    })).roleGrants;
    expect(roles.map((r) => r.providerName)).toEqual(['OneLogin', 'OneLogin', undefined]);
    expect(providerNames(deps)('onelogin')).toBe('OneLogin');
    expect(providerNames(deps)('removed')).toBeUndefined();
    expect(providerNames(deps)(null)).toBeUndefined();
  });
});
