import { UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { Permission, Principal } from '../authz/index.js';
import { GatehouseError, type ErrorCode } from '../errors/index.js';
import { createIntrospection } from './introspection.js';

const principal = (over: Partial<Principal> = {}): Principal => ({
  userId: 'u-1', name: 'etl-bot', email: 'etl-bot@example.com', isAdmin: false, isBot: true, roles: ['IngestionBotRole'],
  permissions: new Set<Permission>(['entity:view']), method: 'bot-token', credentialId: 'jti-1', mustChangePassword: false, ...over,
});
// The use case reads claims only after authenticate() accepted the token, so an unsigned token stands in for a signed one.
const jwt = (claims: Record<string, unknown>) => new UnsecuredJWT(claims).encode();

function introspectionWith(authenticate: (token: string) => Promise<Principal>) {
  const seen: string[] = [];
  const introspection = createIntrospection({ tokens: { authenticate: (token) => (seen.push(token), authenticate(token)) } });
  return { seen, introspection };
}

describe('token introspection (RFC 7662)', () => {
  it('answers a bare { active: false } for every refusal of the bearer path, whatever the reason', async () => {
    const codes: ErrorCode[] = ['AUTH_TOKEN_INVALID', 'AUTH_TOKEN_EXPIRED', 'AUTH_TOKEN_SIGNATURE', 'AUTH_TOKEN_WRONG_ISSUER', 'AUTH_TOKEN_REVOKED', 'AUTH_TOKEN_UNKNOWN_USER', 'AUTH_TOKEN_DOMAIN', 'AUTH_TOKEN_UNKNOWN_KID'];
    for (const code of codes) {
      const { introspection } = introspectionWith(() => Promise.reject(new GatehouseError(code, undefined, { internal: { reason: 'secret detail' } })));
      expect(await introspection.introspect('a.b.c')).toStrictEqual({ active: false });
    }
  });

  it('lets other failures through (a database outage is an error, not a verdict)', async () => {
    const outage = introspectionWith(() => Promise.reject(new GatehouseError('STORAGE_UNAVAILABLE')));
    await expect(outage.introspection.introspect('a.b.c')).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    const bug = introspectionWith(() => Promise.reject(new TypeError('boom')));
    await expect(bug.introspection.introspect('a.b.c')).rejects.toThrow('boom');
  });

  it('does not look at an empty token or one longer than the bearer path accepts (16 KiB)', async () => {
    const { seen, introspection } = introspectionWith(async () => principal());
    expect(await introspection.introspect('')).toStrictEqual({ active: false });
    expect(await introspection.introspect('a'.repeat(16_385))).toStrictEqual({ active: false });
    expect(seen).toEqual([]);
  });

  it('describes an active bot token from its claims and its principal', async () => {
    const token = jwt({ iss: 'open-metadata.org', sub: 'etl-bot', jti: 'jti-1', iat: 100, exp: 200, tokenType: 'BOT', isBot: true });
    const { seen, introspection } = introspectionWith(async () => principal());
    expect(await introspection.introspect(token)).toStrictEqual({
      active: true, sub: 'etl-bot', username: 'etl-bot', token_type: 'Bearer', iss: 'open-metadata.org', iat: 100, exp: 200, jti: 'jti-1',
      email: 'etl-bot@example.com', roles: ['IngestionBotRole'], isBot: true, tokenType: 'BOT',
    });
    expect(seen).toEqual([token]);
  });

  it('gives scope only for a limited personal token, client_id only for an external token, and omits a missing exp', async () => {
    const scoped = jwt({ iss: 'open-metadata.org', sub: 'ann', jti: 'p1', iat: 100, scope: 'entity:view user:view' });
    const personal = introspectionWith(async () => principal({ name: 'ann', email: null, isBot: false, roles: [], method: 'personal-token' }));
    const answer = await personal.introspection.introspect(scoped);
    expect(answer).toMatchObject({ active: true, scope: 'entity:view user:view', tokenType: 'PERSONAL_ACCESS', isBot: false });
    expect(Object.keys(answer)).not.toContain('exp');
    expect(Object.keys(answer)).not.toContain('email');
    expect(Object.keys(answer)).not.toContain('client_id');

    const external = jwt({ iss: 'https://idp.example.com/oidc/2', sub: 'abc-123', azp: 'gatehouse-client', iat: 100, exp: 200, scope: 'openid' });
    const viaIdp = introspectionWith(async () => principal({ name: 'ann', isBot: false, roles: ['DataConsumer'], method: 'external-token', credentialId: null }));
    const outside = await viaIdp.introspection.introspect(external);
    expect(outside).toMatchObject({ active: true, sub: 'abc-123', username: 'ann', client_id: 'gatehouse-client', iss: 'https://idp.example.com/oidc/2', tokenType: 'EXTERNAL' });
    // A provider's "scope" is about the provider, not Gatehouse permissions: not passed on.
    expect(Object.keys(outside)).not.toContain('scope');
  });
});
