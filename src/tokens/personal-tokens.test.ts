import { describe, expect, it } from 'vitest';
import type { AuditContext, AuditEventInput, AuditLog } from '../audit/index.js';
import { isGatehouseError } from '../errors/index.js';
import type { UserRow } from '../storage/index.js';
import type { Permission, Principal } from '../authz/index.js';
import { createPersonalTokens, type PersonalTokenDeps } from './personal-tokens.js';

const context: AuditContext = { actorId: 'u-alice', actorName: 'alice', ip: null, userAgent: null };
const row = (id: string, name: string): UserRow => ({
  id, name, email: null, display_name: null, is_admin: 0, is_bot: 0, disabled: 0, password_hash: null,
  must_change_password: 0, is_bootstrap: 0, created_at: 0, updated_at: 0,
});
const principal = (over: Partial<Principal> = {}): Principal => ({
  userId: 'u-alice', name: 'alice', email: null, isAdmin: false, isBot: false, roles: ['DataSteward'],
  permissions: new Set<Permission>(['token:manageOwn']), method: 'session', credentialId: null, mustChangePassword: false, ...over,
});

function setup() {
  const calls: string[] = [];
  const audited: AuditEventInput[] = [];
  const audit: AuditLog = { record: async (_c, event) => void audited.push(event), list: () => Promise.reject(new Error('not used')) };
  const deps: PersonalTokenDeps = {
    users: { rowById: async (id) => (id === 'u-alice' ? row('u-alice', 'alice') : undefined) },
    audit,
    tokens: {
      list: async (userId, kind) => (calls.push(`list ${userId} ${kind}`), []),
      revoke: async (ids, userId) => (calls.push(`revoke ${ids.join(',')} of ${userId}`), [...ids]),
      issuePersonalToken: async (user, roles, input) => {
        calls.push(`issue ${user.name} [${roles.join(',')}] ${input.name}`);
        return { token: 'jwt', jti: 'jti-1', kid: 'k1', expiresAt: 1_000, scopes: null };
      },
    },
  };
  return { calls, audited, personal: createPersonalTokens(deps) };
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isGatehouseError(error)) return error.code;
    throw error;
  }
  return 'no error';
}

describe('personal token rules', () => {
  it('lists and revokes one\'s own tokens; another user\'s only with user:manage', async () => {
    const { calls, personal } = setup();
    await personal.list(principal(), undefined);
    await personal.list(principal(), 'u-alice');
    expect(await refusal(personal.list(principal(), 'u-bob'))).toBe('FORBIDDEN');
    expect(await refusal(personal.revoke(principal(), ['t1'], 'u-bob', context))).toBe('FORBIDDEN');
    const admin = principal({ permissions: new Set<Permission>(['token:manageOwn', 'user:manage']) });
    await personal.list(admin, 'u-bob');
    expect(await personal.revoke(admin, ['t1', 't2'], 'u-bob', context)).toEqual(['t1', 't2']);
    expect(calls).toEqual(['list u-alice PERSONAL_ACCESS', 'list u-alice PERSONAL_ACCESS', 'list u-bob PERSONAL_ACCESS', 'revoke t1,t2 of u-bob']);
  });

  it('a personal token cannot create another token, nor manage another user\'s even for an administrator', async () => {
    const { calls, personal } = setup();
    const viaToken = principal({ isAdmin: true, method: 'personal-token' });
    expect(await refusal(personal.create(viaToken, { name: 'n', expiry: '7', scopes: null }, context))).toBe('FORBIDDEN');
    expect(await refusal(personal.list(viaToken, 'u-bob'))).toBe('FORBIDDEN');
    expect(calls).toEqual([]);
  });

  it('creates a token with the caller\'s roles and audits it; a vanished user must sign in again', async () => {
    const { calls, audited, personal } = setup();
    const created = await personal.create(principal(), { name: 'ci', expiry: '30', scopes: null }, context);
    expect(created).toEqual({ id: 'jti-1', name: 'ci', token: 'jwt', expiry: '30', expiresAt: 1_000, scopes: null });
    expect(calls).toEqual(['issue alice [DataSteward] ci']);
    expect(audited).toEqual([{ type: 'token.create', outcome: 'success', target: { type: 'user', id: 'u-alice', name: 'alice' }, details: { jti: 'jti-1', name: 'ci', expiry: '30', scopes: null } }]);
    expect(await refusal(personal.create(principal({ userId: 'u-gone' }), { name: 'x', expiry: '7', scopes: null }, context))).toBe('AUTH_REQUIRED');
  });
});
