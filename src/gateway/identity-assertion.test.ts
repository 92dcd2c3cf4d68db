import { generateKeyPairSync } from 'node:crypto';
import { createLocalJWKSet, decodeProtectedHeader, exportJWK, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { frozenClock } from '../shared/index.js';
import { createAssertionSigner } from './assertion.js';
import { ALL_IDENTITY_HEADERS, headerValue, identityHeaders, isIdentityHeader } from './identity-headers.js';

const alice = { name: 'alice', email: 'alice@example.com', displayName: 'Zoë\r\nX-Auth-Request-User: admin', roles: ['DataConsumer', 'a,b'], isAdmin: false, method: 'bot-token' };

function fakeRing() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const notes: { kid: string; until: number | null }[] = [];
  return {
    notes, publicKey,
    signingKey: () => ({ kid: 'k1', key: privateKey }),
    noteSigned: async (kid: string, until: number | null) => (notes.push({ kid, until }), true),
    reload: async () => {},
  };
}

describe('identity headers', () => {
  it('are always all present, with values that cannot break the header block and decode back', () => {
    const headers = identityHeaders(alice, 'jwt');
    expect(Object.keys(headers).sort()).toEqual([...ALL_IDENTITY_HEADERS].sort());
    for (const value of Object.values(headers)) expect(value).toMatch(/^[\x20-\x7e]*$/);
    expect(headers['X-Auth-Request-Preferred-Username']).toBe('Zo%C3%AB%0D%0AX-Auth-Request-User: admin');
    expect(decodeURIComponent(headers['X-Auth-Request-Preferred-Username'] ?? '')).toBe(alice.displayName);
    expect(headers['X-Gatehouse-Roles']).toBe('DataConsumer,a%2Cb');
    expect(headers['X-Auth-Request-Email']).toBe('alice@example.com');
    expect(headers['X-Gatehouse-Auth-Method']).toBe('bot');
    expect(headers['X-Gatehouse-Admin']).toBe('false');
    expect(headerValue(' 100% ')).toBe('%20100%25%20');
  });

  it('recognises every case, underscore and dash spelling of the identity headers', () => {
    for (const name of ['x-auth-request-user', 'X_AUTH_REQUEST_EMAIL', 'x-gatehouse_assertion', 'X-GATEHOUSE-ROLES']) expect(isIdentityHeader(name)).toBe(true);
    for (const name of ['x-auth-request-users', 'authorization', 'x-forwarded-user']) expect(isIdentityHeader(name)).toBe(false);
  });
});

describe('assertion signer', () => {
  it('signs a compact RS256 JWT that verifies from the JWKS alone, with the audience asked for', async () => {
    const ring = fakeRing();
    const clock = frozenClock(Date.UTC(2026, 10, 1, 12));
    const signer = createAssertionSigner({ ring, clock, issuer: 'open-metadata.org' });
    const jwt = await signer.sign(alice, 'https://data.example.com');
    expect(jwt.length).toBeLessThan(900);
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'k1' });
    const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(ring.publicKey)), kid: 'k1', alg: 'RS256' }] });
    const { payload } = await jwtVerify(jwt, jwks, { issuer: 'open-metadata.org', audience: 'https://data.example.com', currentDate: new Date(clock.now()) });
    expect(payload).toMatchObject({ sub: 'alice', email: 'alice@example.com', roles: ['DataConsumer', 'a,b'], admin: false, amr: ['bot-token'] });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(180);
    expect(typeof payload.jti).toBe('string');
    await expect(jwtVerify(jwt, jwks, { audience: 'https://other.example.com', currentDate: new Date(clock.now()) })).rejects.toThrow();
  });

  it('reuses an assertion briefly per principal and audience, and records key use once per window', async () => {
    const ring = fakeRing();
    const clock = frozenClock(Date.UTC(2026, 10, 1, 12));
    const signer = createAssertionSigner({ ring, clock, issuer: 'iss' });
    const first = await signer.sign(alice, 'https://a.example.com');
    expect(await signer.sign(alice, 'https://a.example.com')).toBe(first);
    expect(await signer.sign(alice, 'https://b.example.com')).not.toBe(first);
    expect(await signer.sign({ ...alice, roles: ['Admin'] }, 'https://a.example.com')).not.toBe(first);
    clock.advance(16_000);
    expect(await signer.sign(alice, 'https://a.example.com')).not.toBe(first);
    // One write covers a minute of assertions beyond the first one's expiry.
    expect(ring.notes).toHaveLength(1);
    expect(ring.notes[0]?.until).toBe(Date.UTC(2026, 10, 1, 12) + 180_000 + 60_000);
  });

  it('renders the identity headers once per assertion, anew for another principal, display name or audience, never with CR or LF', async () => {
    const ring = fakeRing();
    const clock = frozenClock(Date.UTC(2026, 10, 1, 12));
    const signer = createAssertionSigner({ ring, clock, issuer: 'iss' });
    const first = await signer.identityHeaders(alice, 'https://a.example.com');
    expect(Object.isFrozen(first)).toBe(true);
    expect(await signer.identityHeaders(alice, 'https://a.example.com')).toBe(first);
    expect(first).toEqual(identityHeaders(alice, await signer.sign(alice, 'https://a.example.com')));
    for (const value of Object.values(first)) expect(value).not.toMatch(/[\r\n]/);
    const renamed = await signer.identityHeaders({ ...alice, displayName: 'Alice\nB' }, 'https://a.example.com');
    expect(renamed['X-Auth-Request-Preferred-Username']).toBe('Alice%0AB');
    const promoted = await signer.identityHeaders({ ...alice, roles: ['Admin'], isAdmin: true }, 'https://a.example.com');
    expect([promoted['X-Gatehouse-Roles'], promoted['X-Gatehouse-Admin']]).toEqual(['Admin', 'true']);
    expect((await signer.identityHeaders(alice, 'https://b.example.com'))['X-Gatehouse-Assertion']).not.toBe(first['X-Gatehouse-Assertion']);
    expect(await signer.identityHeaders(alice, 'https://a.example.com')).toBe(first);
    clock.advance(16_000);
    const later = await signer.identityHeaders(alice, 'https://a.example.com');
    expect(later['X-Gatehouse-Assertion']).not.toBe(first['X-Gatehouse-Assertion']);
    expect(later['X-Gatehouse-Assertion']).toBe(await signer.sign(alice, 'https://a.example.com'));
  });

  it('signs with the new key right after a rotation, and with the next one when another instance retired the key', async () => {
    const ring = fakeRing();
    let kid = 'k1';
    let retired = false;
    const rotating = {
      ...ring,
      signingKey: () => ({ kid, key: ring.signingKey().key }),
      noteSigned: async (k: string, until: number | null) => (ring.notes.push({ kid: k, until }), !(retired && k === 'k2')),
      reload: async () => void (kid = 'k3'),
    };
    const clock = frozenClock(Date.UTC(2026, 10, 1, 12));
    const signer = createAssertionSigner({ ring: rotating, clock, issuer: 'iss' });
    expect(decodeProtectedHeader(await signer.sign(alice, 'https://a.example.com')).kid).toBe('k1');
    kid = 'k2';
    retired = true;
    expect(decodeProtectedHeader(await signer.sign(alice, 'https://a.example.com')).kid).toBe('k3');
    expect(ring.notes.map((n) => n.kid)).toEqual(['k1', 'k2', 'k3']);
  });
});
