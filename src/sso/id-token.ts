import { safeEqual } from '../crypto/index.js';
import { checkAudience, checkTimes, refuse, verifySignature, type Claims, type KeyResolver } from './jwt-checks.js';

export interface IdTokenExpectations {
  /** The configured issuer; compared exactly. */
  issuer: string;
  clientId: string;
  algorithms: readonly string[];
  /** The nonce sent in the authorization request; null only for ID tokens from a refresh (no nonce was sent). */
  nonce: string | null;
  clockSkewSeconds: number;
  /** Current time in milliseconds (the injected clock). */
  now: number;
  /** When max_age was requested: auth_time must be recent enough. */
  maxAgeSeconds?: number | null;
  /** With a refresh: the subject must not change. */
  expectedSubject?: string;
  trustedAudiences?: readonly string[];
}

const CODE = 'SSO_ID_TOKEN_INVALID';
// Tokens made for other purposes must not be accepted as ID tokens (token confusion).
const FOREIGN_TYPES = new Set(['logout+jwt', 'application/logout+jwt', 'at+jwt', 'application/at+jwt']);

/**
 * Verifies an ID token ourselves, whatever the OIDC library did: openid-client does not check the signature of ID
 * tokens from the token endpoint, and a mis-configured TLS proxy or a compromised endpoint must not sign people in.
 * Checks: signature against the provider's JWKS with the algorithm allow-list, iss exact, aud/azp, exp/iat/nbf with
 * skew, nonce (constant-time), sub present, auth_time for max_age. Throws SSO_ID_TOKEN_INVALID (reason in `internal`)
 * or SSO_NONCE_MISMATCH.
 */
export async function verifyIdToken(token: string, getKey: KeyResolver, expect: IdTokenExpectations): Promise<Claims> {
  const { claims, header } = await verifySignature(token, getKey, expect.algorithms, CODE);
  if (typeof header.typ === 'string' && FOREIGN_TYPES.has(header.typ.toLowerCase())) throw refuse(CODE, 'type', `wrong token type ${header.typ}`);
  if (claims['iss'] !== expect.issuer) throw refuse(CODE, 'issuer', 'iss is not the configured issuer', { iss: claims['iss'], expected: expect.issuer });
  checkAudience(claims, { clientId: expect.clientId, trustedAudiences: expect.trustedAudiences ?? [] }, CODE);
  checkTimes(claims, expect.now, expect.clockSkewSeconds, CODE, { requireExp: true });
  const sub = claims['sub'];
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 255) throw refuse(CODE, 'subject', 'sub missing or invalid');
  if (expect.expectedSubject !== undefined && sub !== expect.expectedSubject) throw refuse(CODE, 'subject', 'sub changed on refresh');
  if (expect.nonce !== null) {
    const nonce = claims['nonce'];
    if (typeof nonce !== 'string' || !safeEqual(nonce, expect.nonce)) throw refuse('SSO_NONCE_MISMATCH', 'nonce', 'nonce differs from the one sent');
  }
  if (expect.maxAgeSeconds !== undefined && expect.maxAgeSeconds !== null) {
    const authTime = claims['auth_time'];
    const now = Math.floor(expect.now / 1000);
    if (typeof authTime !== 'number') throw refuse(CODE, 'auth-time', 'auth_time missing although max_age was requested');
    if (authTime + expect.maxAgeSeconds < now - expect.clockSkewSeconds) throw refuse(CODE, 'auth-time', 'authentication older than max_age');
  }
  return claims;
}
