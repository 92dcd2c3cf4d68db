import { checkAudience, checkTimes, refuse, verifySignature, type KeyResolver } from './jwt-checks.js';

export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

export interface LogoutTokenExpectations {
  issuer: string;
  clientId: string;
  algorithms: readonly string[];
  clockSkewSeconds: number;
  now: number;
  /** Oldest acceptable iat, in seconds before now (default 600); also how long jtis are remembered. */
  maxAgeSeconds: number;
}

/** What a valid logout token asks for: end the sessions with this sid, or of this subject. */
export interface LogoutRequest {
  readonly issuer: string;
  readonly jti: string;
  readonly sid: string | undefined;
  readonly sub: string | undefined;
  readonly iat: number;
}

const CODE = 'SSO_LOGOUT_TOKEN_INVALID';
// logout+jwt is what the spec recommends; Keycloak, glewlwyd and others send JWT (or no typ). Accepting those is safe
// because the events claim and the forbidden nonce already tell a logout token from an ID token.
const ACCEPTED_TYPES = new Set(['logout+jwt', 'application/logout+jwt', 'jwt', 'application/jwt']);

/**
 * Checks a back-channel logout token (OpenID Connect Back-Channel Logout 1.0, section 2.6) except the jti replay,
 * which needs the database: signature and algorithm allow-list, iss exact, aud, iat recent, exp when present, a jti,
 * the backchannel-logout event, NO nonce (so an ID token cannot be replayed as a logout token), typ logout+jwt or JWT
 * when present, and sid or sub.
 */
export async function checkLogoutToken(token: string, getKey: KeyResolver, expect: LogoutTokenExpectations): Promise<LogoutRequest> {
  const { claims, header } = await verifySignature(token, getKey, expect.algorithms, CODE);
  if (header.typ !== undefined && !ACCEPTED_TYPES.has(String(header.typ).toLowerCase())) {
    throw refuse(CODE, 'type', `typ is ${String(header.typ)}, not logout+jwt or JWT`);
  }
  if (claims['iss'] !== expect.issuer) throw refuse(CODE, 'issuer', 'iss is not the configured issuer', { iss: claims['iss'] });
  checkAudience(claims, { clientId: expect.clientId }, CODE);
  checkTimes(claims, expect.now, expect.clockSkewSeconds, CODE, { requireExp: false });
  const iat = claims['iat'] as number;
  if (iat < Math.floor(expect.now / 1000) - expect.maxAgeSeconds - expect.clockSkewSeconds) throw refuse(CODE, 'issued-at', 'iat too old', { iat });
  const jti = claims['jti'];
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > 256) throw refuse(CODE, 'jti', 'jti missing');
  const events = claims['events'];
  if (events === null || typeof events !== 'object' || Array.isArray(events)) throw refuse(CODE, 'events', 'events missing');
  const event = (events as Record<string, unknown>)[BACKCHANNEL_LOGOUT_EVENT];
  if (event === null || typeof event !== 'object' || Array.isArray(event)) throw refuse(CODE, 'events', 'backchannel-logout event missing');
  if ('nonce' in claims) throw refuse(CODE, 'nonce', 'a logout token must not contain a nonce');
  const sid = claims['sid'];
  const sub = claims['sub'];
  if (sid !== undefined && (typeof sid !== 'string' || sid.length === 0)) throw refuse(CODE, 'sid-or-sub', 'sid is not a string');
  if (sub !== undefined && (typeof sub !== 'string' || sub.length === 0)) throw refuse(CODE, 'sid-or-sub', 'sub is not a string');
  if (sid === undefined && sub === undefined) throw refuse(CODE, 'sid-or-sub', 'neither sid nor sub');
  return { issuer: expect.issuer, jti, sid: sid as string | undefined, sub: sub as string | undefined, iat };
}
