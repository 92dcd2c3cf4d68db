import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyIdToken, type IdTokenExpectations } from './id-token.js';
import type { KeyResolver } from './jwt-checks.js';

const ISSUER = 'https://acme.onelogin.com/oidc/2';
const CLIENT = 'client-1';
const NOW = Date.UTC(2026, 0, 1, 12);
const T = Math.floor(NOW / 1000);

let good: CryptoKey;
let other: CryptoKey;
let getKey: KeyResolver;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  good = pair.privateKey;
  other = (await generateKeyPair('RS256')).privateKey;
  const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256' }] });
  getKey = (h) => jwks(h);
});

const expect0: IdTokenExpectations = { issuer: ISSUER, clientId: CLIENT, algorithms: ['RS256'], nonce: 'n-1', clockSkewSeconds: 60, now: NOW };
const base: JWTPayload = { iss: ISSUER, aud: CLIENT, sub: 'abc', iat: T, exp: T + 300, nonce: 'n-1' };

async function token(claims: JWTPayload, header: Record<string, unknown> = {}, key: CryptoKey = good): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1', ...header }).sign(key);
}

async function reason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'accepted';
  } catch (err) {
    const e = err as { code: string; internal?: { reason?: string } };
    return `${e.code}: ${e.internal?.reason ?? ''}`;
  }
}

describe('verifyIdToken checks everything itself', () => {
  it('accepts a correct token and returns its claims', async () => {
    const claims = await verifyIdToken(await token({ ...base, email: 'a@b.c' }), getKey, expect0);
    expect(claims['email']).toBe('a@b.c');
  });

  it('accepts the allowed skew at both ends', async () => {
    expect(await reason(verifyIdToken(await token({ ...base, exp: T - 59 }), getKey, expect0))).toBe('accepted');
    expect(await reason(verifyIdToken(await token({ ...base, iat: T + 59 }), getKey, expect0))).toBe('accepted');
  });

  const refused: [string, () => Promise<string>, string][] = [
    ['alg none', async () => {
      const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      return `${enc({ alg: 'none', kid: 'k1' })}.${enc(base)}.`;
    }, 'SSO_ID_TOKEN_INVALID: signature'],
    ['HS256', async () => new SignJWT(base).setProtectedHeader({ alg: 'HS256', kid: 'k1' }).sign(new Uint8Array(32)), 'SSO_ID_TOKEN_INVALID: signature'],
    ['a wrong key under the right kid', async () => token(base, {}, other), 'SSO_ID_TOKEN_INVALID: signature'],
    ['an unknown kid', async () => token(base, { kid: 'k9' }), 'SSO_ID_TOKEN_INVALID: signature'],
    ['another issuer', async () => token({ ...base, iss: 'https://evil.onelogin.com/oidc/2' }), 'SSO_ID_TOKEN_INVALID: iss'],
    ['the issuer with a trailing slash', async () => token({ ...base, iss: `${ISSUER}/` }), 'SSO_ID_TOKEN_INVALID: iss'],
    ['another audience', async () => token({ ...base, aud: 'client-2' }), 'SSO_ID_TOKEN_INVALID: aud does not'],
    ['an untrusted extra audience', async () => token({ ...base, aud: [CLIENT, 'x'], azp: CLIENT }), 'SSO_ID_TOKEN_INVALID: aud contains'],
    ['azp of another client', async () => token({ ...base, azp: 'client-2' }), 'SSO_ID_TOKEN_INVALID: azp is not'],
    ['an audience that is not a string', async () => token({ ...base, aud: 42 as unknown as string }), 'SSO_ID_TOKEN_INVALID: aud does not'],
    ['expired beyond the skew', async () => token({ ...base, exp: T - 61 }), 'SSO_ID_TOKEN_INVALID: expired'],
    ['no exp', async () => token({ ...base, exp: undefined }), 'SSO_ID_TOKEN_INVALID: exp missing'],
    ['issued in the future beyond the skew', async () => token({ ...base, iat: T + 61 }), 'SSO_ID_TOKEN_INVALID: issued in the future'],
    ['no iat', async () => token({ ...base, iat: undefined }), 'SSO_ID_TOKEN_INVALID: iat missing'],
    ['not yet valid', async () => token({ ...base, nbf: T + 120 }), 'SSO_ID_TOKEN_INVALID: not yet valid'],
    ['another nonce', async () => token({ ...base, nonce: 'n-2' }), 'SSO_NONCE_MISMATCH'],
    ['no nonce', async () => token({ ...base, nonce: undefined }), 'SSO_NONCE_MISMATCH'],
    ['no sub', async () => token({ ...base, sub: undefined }), 'SSO_ID_TOKEN_INVALID: sub missing'],
    ['an empty sub', async () => token({ ...base, sub: '' }), 'SSO_ID_TOKEN_INVALID: sub missing'],
    ['a logout token', async () => token(base, { typ: 'logout+jwt' }), 'SSO_ID_TOKEN_INVALID: wrong token type'],
    ['garbage', async () => 'not.a.jwt', 'SSO_ID_TOKEN_INVALID: signature'],
  ];
  it.each(refused)('refuses %s', async (_name, make, expected) => {
    expect(await reason(verifyIdToken(await make(), getKey, expect0))).toContain(expected);
  });

  it('requires a recent auth_time when max_age was requested', async () => {
    const withMaxAge = { ...expect0, maxAgeSeconds: 300 };
    expect(await reason(verifyIdToken(await token(base), getKey, withMaxAge))).toContain('auth_time missing');
    expect(await reason(verifyIdToken(await token({ ...base, auth_time: T - 1000 }), getKey, withMaxAge))).toContain('older than max_age');
    expect(await reason(verifyIdToken(await token({ ...base, auth_time: T - 100 }), getKey, withMaxAge))).toBe('accepted');
  });

  it('for a refreshed token: no nonce needed, but the subject must not change', async () => {
    const refresh = { ...expect0, nonce: null, expectedSubject: 'abc' };
    expect(await reason(verifyIdToken(await token({ ...base, nonce: undefined }), getKey, refresh))).toBe('accepted');
    expect(await reason(verifyIdToken(await token({ ...base, sub: 'xyz' }), getKey, refresh))).toContain('sub changed');
  });

  it('only the algorithms on the allow-list pass', async () => {
    expect(await reason(verifyIdToken(await token(base), getKey, { ...expect0, algorithms: ['RS512'] }))).toContain('signature');
  });
});
