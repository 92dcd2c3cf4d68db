import { createPublicKey, createSecretKey, generateKeyPairSync, sign } from 'node:crypto';
import { exportJWK, SignJWT, UnsecuredJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GatehouseError } from '../../src/errors/index.js';
import { createRemoteJwks } from '../../src/jwks/index.js';
import { EXTERNAL_TOKEN_ALGORITHMS, frozenClock, silentLogger } from '../../src/shared/index.js';
import { createBearerVerifier, signOwnToken, type VerifiedToken } from '../../src/tokens/index.js';
import { freshDatabase } from '../support/databases.js';
import { ISSUER, makeRing, T0, WRONG_CLAIM_TYPES } from './support.js';

const IDP = 'https://idp.example/oidc/2';
const IDP_JWKS = `${IDP}/certs`;
const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 });
const idpKey = generateKeyPairSync('rsa', { modulusLength: 2048 });

describe('verifyBearer: strict checks on hostile tokens (frozen clock, 60 s skew)', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  const clock = frozenClock(T0);
  const fetched: string[] = [];
  let ring: ReturnType<typeof makeRing>;
  let verifier: ReturnType<typeof createBearerVerifier>;
  let kid: string;
  let claims: JWTPayload;
  const iat = Math.floor(T0 / 1000);

  beforeAll(async () => {
    db = await freshDatabase('sqlite');
    ring = makeRing(db, clock);
    await ring.init();
    kid = ring.signingKey().kid;
    const idpJwk = { ...(await exportJWK(idpKey.publicKey)), kid: 'idp-1', use: 'sig', alg: 'RS256' };
    const remote = createRemoteJwks({
      clock, logger: silentLogger, algorithms: EXTERNAL_TOKEN_ALGORITHMS,
      fetch: async (url) => {
        fetched.push(url);
        return new Response(JSON.stringify(url === IDP_JWKS ? { keys: [idpJwk] } : { keys: [] }), { headers: { 'content-type': 'application/json' } });
      },
    });
    verifier = createBearerVerifier({
      ring, remote, clock, ownIssuer: ISSUER, trusted: [{ issuer: IDP, jwksUrl: IDP_JWKS, audiences: ['client-1'] }],
      externalAlgorithms: ['RS256'], clockSkewSeconds: 60,
    });
    claims = { iss: ISSUER, sub: 'etl-bot', isBot: true, tokenType: 'BOT', roles: ['IngestionBotRole'], iat, exp: iat + 3600, jti: 'j-1' };
  });
  afterAll(async () => {
    await db.dispose();
  });
  beforeEach(() => clock.set(T0));

  const own = (payload: Record<string, unknown>, header: Record<string, unknown> = {}) => new SignJWT(payload as JWTPayload).setProtectedHeader({ alg: 'RS256', kid, ...header }).sign(ring.signingKey().key);
  const forged = (payload: JWTPayload, header: Record<string, unknown> = {}) => new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid, ...header }).sign(attacker.privateKey);
  const fromIdp = (payload: JWTPayload, alg = 'RS256') => new SignJWT(payload).setProtectedHeader({ alg, kid: 'idp-1' }).sign(idpKey.privateKey);
  // jose will not sign a header with crit: build such a token by hand (a real RS256 signature by our key).
  const rawOwn = (header: Record<string, unknown>, payload: JWTPayload) => {
    const input = `${Buffer.from(JSON.stringify({ alg: 'RS256', kid, ...header })).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    return `${input}.${sign('sha256', Buffer.from(input), ring.signingKey().key).toString('base64url')}`;
  };
  const refusal = async (token: string | Promise<string>): Promise<{ code: string; internal: unknown }> => {
    try {
      await verifier.verify(await token);
    } catch (error) {
      const e = error as GatehouseError;
      return { code: e.code, internal: e.internal };
    }
    return { code: 'ACCEPTED', internal: null };
  };
  const code = async (token: string | Promise<string>) => (await refusal(token)).code;

  it('accepts a token Gatehouse signed and says what it is', async () => {
    const signed = await signOwnToken({ ring, clock, issuer: ISSUER }, { sub: 'etl-bot', email: null, isBot: true, tokenType: 'BOT', roles: [], lifetimeSeconds: 3600 });
    const verified = await verifier.verify(signed.token);
    expect(verified).toMatchObject({ kind: 'own', tokenType: 'BOT', subject: 'etl-bot', jti: signed.jti, expiresAt: T0 + 3_600_000, scopes: null });
  });

  it('alg none, and HS256 signed with the public key as the HMAC secret: AUTH_TOKEN_ALGORITHM', async () => {
    expect(await code(new UnsecuredJWT(claims).encode())).toBe('AUTH_TOKEN_ALGORITHM');
    // The classic confusion attack: the attacker knows the public key (it is published) and uses it as an HMAC secret.
    const publicPem = createPublicKey(ring.signingKey().key).export({ format: 'pem', type: 'spki' });
    const publicJwkText = Buffer.from(JSON.stringify(ring.jwks().keys[0]));
    for (const secret of [Buffer.from(publicPem), publicJwkText]) {
      expect(await code(new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid }).sign(createSecretKey(secret)))).toBe('AUTH_TOKEN_ALGORITHM');
    }
    // Own tokens are RS256 only, even when signed by our own key with another RSA algorithm.
    expect(await code(own(claims, { alg: 'RS384' }))).toBe('AUTH_TOKEN_ALGORITHM');
    expect(await code(own(claims, { alg: 'PS256' }))).toBe('AUTH_TOKEN_ALGORITHM');
  });

  it('signature by another key with our kid; tampered payload: AUTH_TOKEN_SIGNATURE', async () => {
    expect(await code(forged(claims))).toBe('AUTH_TOKEN_SIGNATURE');
    const [h, , s] = (await own(claims)).split('.');
    const changed = Buffer.from(JSON.stringify({ ...claims, sub: 'admin' })).toString('base64url');
    expect(await code(`${h}.${changed}.${s}`)).toBe('AUTH_TOKEN_SIGNATURE');
  });

  it('wrong or missing kid: AUTH_TOKEN_UNKNOWN_KID', async () => {
    expect(await code(forged(claims, { kid: 'not-ours' }))).toBe('AUTH_TOKEN_UNKNOWN_KID');
    expect(await code(new SignJWT(claims).setProtectedHeader({ alg: 'RS256' }).sign(ring.signingKey().key))).toBe('AUTH_TOKEN_UNKNOWN_KID');
    expect(await code(own(claims, { kid: '' }))).toBe('AUTH_TOKEN_UNKNOWN_KID');
  });

  it('jku / x5u / jwk headers are never followed (the key still comes from the ring), crit is refused', async () => {
    const before = fetched.length;
    const attackerJwk = await exportJWK(attacker.publicKey);
    expect(await code(forged(claims, { jku: 'http://127.0.0.1:9/jwks.json' }))).toBe('AUTH_TOKEN_SIGNATURE');
    expect(await code(forged(claims, { x5u: 'http://127.0.0.1:9/cert.pem' }))).toBe('AUTH_TOKEN_SIGNATURE');
    expect(await code(forged(claims, { jwk: attackerJwk }))).toBe('AUTH_TOKEN_SIGNATURE');
    expect(fetched.length).toBe(before);
    // A genuine token with a jku header is still ours: the header changes nothing.
    expect(await code(own(claims, { jku: 'http://127.0.0.1:9/jwks.json' }))).toBe('ACCEPTED');
    expect(await code(rawOwn({}, claims))).toBe('ACCEPTED');
    expect(await code(rawOwn({ crit: ['exp'], exp: 1 }, claims))).toBe('AUTH_TOKEN_INVALID');
    expect(await code(rawOwn({ b64: false, crit: ['b64'] }, claims))).toBe('AUTH_TOKEN_INVALID');
  });

  it('expiry: accepted within the skew, refused from exp + skew on (exp is exclusive, RFC 7519); nbf and iat in the future refused', async () => {
    const token = await own({ ...claims, exp: iat + 3600 });
    clock.set(T0 + 3_659_000);
    expect(await code(token)).toBe('ACCEPTED');
    clock.set(T0 + 3_661_000);
    expect(await refusal(token)).toMatchObject({ code: 'AUTH_TOKEN_EXPIRED', internal: { kid } });
    clock.set(T0);
    expect(await code(own({ ...claims, nbf: iat + 61 }))).toBe('AUTH_TOKEN_NOT_YET_VALID');
    expect(await code(own({ ...claims, nbf: iat + 60 }))).toBe('ACCEPTED');
    expect(await code(own({ ...claims, iat: iat + 61 }))).toBe('AUTH_TOKEN_NOT_YET_VALID');
  });

  it('foreign or missing issuer: refused before any key is looked up', async () => {
    expect(await code(forged({ ...claims, iss: 'https://evil.example' }))).toBe('AUTH_TOKEN_WRONG_ISSUER');
    expect(await code(own({ ...claims, iss: undefined }))).toBe('AUTH_TOKEN_CLAIMS');
    expect(await code(own({ ...claims, iss: 'open-metadata.org ' }))).toBe('AUTH_TOKEN_WRONG_ISSUER');
  });

  it('missing claims and wrong claim types: AUTH_TOKEN_CLAIMS', async () => {
    const bad: Record<string, unknown>[] = [
      { ...claims, sub: undefined }, { ...claims, jti: undefined }, { ...claims, iat: undefined }, { ...claims, roles: undefined },
      { ...claims, isBot: 'true' }, { ...claims, isBot: false }, { ...claims, roles: 'Admin' }, { ...claims, roles: [1] },
      { ...claims, tokenType: 'ADMIN' }, { ...claims, tokenType: undefined }, { ...claims, email: 42 }, { ...claims, scope: 'entity:view' },
      { ...claims, exp: '9999999999' }, { ...claims, tokenType: 'OM_USER', isBot: false, exp: undefined },
    ];
    for (const payload of bad) expect(await code(own(payload)), JSON.stringify(payload)).toBe('AUTH_TOKEN_CLAIMS');
    expect(await code(own({ ...claims, sub: 42 }))).toBe('AUTH_TOKEN_CLAIMS');
  });

  it('every registered and own claim has a strict type: aud, sub, jti, azp, times... of the wrong type are refused', async () => {
    for (const override of WRONG_CLAIM_TYPES) {
      const refused = await refusal(own({ ...claims, ...override }));
      expect(refused.code, JSON.stringify(override)).toBe('AUTH_TOKEN_CLAIMS');
    }
    // An audience is a string or an array of strings, nothing else.
    expect(await code(own({ ...claims, aud: 'gatehouse' }))).toBe('ACCEPTED');
    expect(await code(own({ ...claims, aud: ['gatehouse', 'openmetadata'] }))).toBe('ACCEPTED');
    // JSON's 1e400 parses to Infinity, a number that never comes: it is not a NumericDate.
    const text = JSON.stringify({ ...claims, exp: 0 }).replace('"exp":0', '"exp":1e400');
    const input = `${Buffer.from(JSON.stringify({ alg: 'RS256', kid })).toString('base64url')}.${Buffer.from(text).toString('base64url')}`;
    const endless = `${input}.${sign('sha256', Buffer.from(input), ring.signingKey().key).toString('base64url')}`;
    expect(await refusal(endless)).toMatchObject({ code: 'AUTH_TOKEN_CLAIMS', internal: { reason: expect.stringMatching(/^exp must be a number/) } });
  });

  it('extra claims change nothing about what the token is', async () => {
    const verified = await verifier.verify(await own({ ...claims, isAdmin: true, tokenType: 'BOT', permissions: ['*'] }));
    expect(verified).toMatchObject({ kind: 'own', tokenType: 'BOT', subject: 'etl-bot' });
  });

  it('Unlimited bot tokens (no exp) are accepted; limited personal tokens carry their scope', async () => {
    expect(await code(own({ ...claims, exp: undefined }))).toBe('ACCEPTED');
    const pat = await verifier.verify(await own({ ...claims, isBot: false, tokenType: 'PERSONAL_ACCESS', scope: 'entity:view user:view' }));
    expect(pat).toMatchObject({ tokenType: 'PERSONAL_ACCESS', scopes: ['entity:view', 'user:view'] });
  });

  it('garbage, JWE-shaped and oversized tokens: AUTH_TOKEN_INVALID (with the reason kept for the log only)', async () => {
    expect(await code('not a jwt')).toBe('AUTH_TOKEN_INVALID');
    expect(await code('a.b.c.d.e')).toBe('AUTH_TOKEN_INVALID');
    const huge = await refusal(await own({ ...claims, pad: 'x'.repeat(20_000) }));
    expect(huge.code).toBe('AUTH_TOKEN_INVALID');
    expect(huge.internal).toMatchObject({ reason: 'token too long' });
  });

  describe('trusted external issuer', () => {
    const idpClaims = { iss: IDP, sub: 'abc123', aud: 'client-1', email: 'Ann@Example.com', iat, exp: iat + 600 };
    it('accepts its token (key from its JWKS, audience checked)', async () => {
      const verified: VerifiedToken = await verifier.verify(await fromIdp(idpClaims));
      expect(verified).toMatchObject({ kind: 'external', issuer: IDP, expiresAt: (iat + 600) * 1000 });
      expect(await code(fromIdp({ ...idpClaims, aud: ['client-1', 'other'], azp: 'client-1' }))).toBe('ACCEPTED');
    });
    it('refuses the wrong audience, a disallowed algorithm, no exp, and an unknown kid', async () => {
      expect(await code(fromIdp({ ...idpClaims, aud: 'another-app' }))).toBe('AUTH_TOKEN_WRONG_AUDIENCE');
      expect(await code(fromIdp({ ...idpClaims, aud: ['client-1', 'other'], azp: 'other' }))).toBe('AUTH_TOKEN_WRONG_AUDIENCE');
      expect(await code(fromIdp(idpClaims, 'RS384'))).toBe('AUTH_TOKEN_ALGORITHM');
      expect(await code(fromIdp({ ...idpClaims, exp: undefined }))).toBe('AUTH_TOKEN_CLAIMS');
      const unknown = await refusal(new SignJWT(idpClaims).setProtectedHeader({ alg: 'RS256', kid: 'idp-2' }).sign(idpKey.privateKey));
      expect(unknown).toMatchObject({ code: 'AUTH_TOKEN_UNKNOWN_KID', internal: { kid: 'idp-2', jwks: IDP_JWKS } });
    });
    it('applies the registered claim types to its tokens too (sub, jti, aud, azp)', async () => {
      for (const override of [{ sub: 7 }, { jti: 7 }, { azp: ['client-1'] }, { aud: ['client-1', 3] }, { nbf: 'soon' }]) {
        expect(await code(fromIdp({ ...idpClaims, ...override } as JWTPayload)), JSON.stringify(override)).toBe('AUTH_TOKEN_CLAIMS');
      }
      expect(await code(fromIdp({ ...idpClaims, jti: 'idp-jti', azp: 'client-1' }))).toBe('ACCEPTED');
    });
    it('keeps key sources apart: our issuer with the IdP\'s kid, or the IdP\'s issuer with our kid, is refused', async () => {
      expect(await code(new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'idp-1' }).sign(idpKey.privateKey))).toBe('AUTH_TOKEN_UNKNOWN_KID');
      expect(await code(own(idpClaims))).toBe('AUTH_TOKEN_UNKNOWN_KID');
    });
  });

  it('refuses to be configured with none, HMAC or an algorithm outside the one table for external issuers', () => {
    for (const alg of ['none', 'HS256', 'PS256']) {
      expect(() => createBearerVerifier({ ring, remote: createRemoteJwks({ clock, logger: silentLogger, algorithms: EXTERNAL_TOKEN_ALGORITHMS }), clock, ownIssuer: ISSUER, trusted: [], externalAlgorithms: [alg], clockSkewSeconds: 60 }))
        .toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    }
  });
});
