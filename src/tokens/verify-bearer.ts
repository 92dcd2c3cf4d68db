import type { KeyObject } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, errors as joseErrors, type JWTPayload } from 'jose';
import { GatehouseError, type ErrorCode } from '../errors/index.js';
import type { RemoteJwks } from '../jwks/index.js';
import type { KeyRing } from '../keys/index.js';
import { EXTERNAL_TOKEN_ALGORITHMS, isAllowedAlgorithm, OWN_TOKEN_ALGORITHMS, type Clock } from '../shared/index.js';
import { findClaimProblems, REQUIRED_CLAIMS } from './claim-checks.js';
import { checkRegisteredClaims, verifyRsaSignature } from './rsa-signature.js';
import type { OwnTokenType } from './sign-token.js';

export interface TrustedIssuer {
  issuer: string;
  jwksUrl: string;
  /** When set, aud must contain one of these (the provider's client id). */
  audiences: readonly string[];
}

export interface BearerVerifierOptions {
  ring: KeyRing;
  remote: RemoteJwks;
  clock: Clock;
  ownIssuer: string;
  trusted: readonly TrustedIssuer[];
  /** For external issuers (AUTHENTICATION_TOKEN_VALIDATION_ALGORITHM); own tokens are always RS256. */
  externalAlgorithms: readonly string[];
  clockSkewSeconds: number;
}

export type VerifiedToken =
  | { kind: 'own'; tokenType: OwnTokenType; subject: string; jti: string; expiresAt: number | null; scopes: string[] | null; claims: JWTPayload }
  | { kind: 'external'; issuer: string; jti: string | null; expiresAt: number | null; claims: JWTPayload };

/** Far above any real JWT (ID tokens with many groups stay under 8 KiB); bounds the work a hostile header can cause. */
export const MAX_TOKEN_CHARS = 16_384;

function fail(code: ErrorCode, reason: string, extra: Record<string, unknown> = {}): never {
  throw new GatehouseError(code, undefined, { internal: { reason, ...extra } });
}

function mapJoseError(error: unknown, context: Record<string, unknown>): never {
  if (error instanceof GatehouseError) throw error;
  if (error instanceof joseErrors.JWTExpired) fail('AUTH_TOKEN_EXPIRED', 'exp in the past', context);
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    // Only a failed time check means "not yet valid"; a missing or mistyped nbf/iat is a claims problem.
    if ((error.claim === 'nbf' || error.claim === 'iat') && error.reason === 'check_failed') fail('AUTH_TOKEN_NOT_YET_VALID', `${error.claim}: ${error.reason}`, context);
    if (error.claim === 'iss') fail('AUTH_TOKEN_WRONG_ISSUER', error.message, context);
    if (error.claim === 'aud') fail('AUTH_TOKEN_WRONG_AUDIENCE', error.message, context);
    fail('AUTH_TOKEN_CLAIMS', `${error.claim}: ${error.reason}`, context);
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) fail('AUTH_TOKEN_SIGNATURE', 'signature', context);
  if (error instanceof joseErrors.JOSEAlgNotAllowed) fail('AUTH_TOKEN_ALGORITHM', error.message, context);
  if (error instanceof joseErrors.JWTInvalid) fail('AUTH_TOKEN_CLAIMS', error.message, context);
  fail('AUTH_TOKEN_INVALID', error instanceof Error ? error.message : 'unparseable', context);
}

/**
 * Verifies a bearer JWT: strict header (algorithm allow-list - never none or HMAC -, kid required, `crit` refused;
 * `jku`/`x5u`/`jwk` are ignored: keys come only from our ring or the configured JWKS URLs), issuer routing, signature,
 * exp/nbf/iat with skew, and strict claim types. Every refusal is a coded error with the reason in `internal`.
 */
export function createBearerVerifier(options: BearerVerifierOptions) {
  const { ring, remote, clock } = options;
  const skew = options.clockSkewSeconds;
  // Refuse a dangerous allow-list at start-up rather than at the first token: "none" or HS256 here would let anyone
  // who knows a public key (or nothing at all) mint tokens.
  const badAlgorithms = options.externalAlgorithms.filter((a) => !isAllowedAlgorithm(EXTERNAL_TOKEN_ALGORITHMS, a));
  if (badAlgorithms.length) {
    throw new GatehouseError('CONFIG_INVALID', `AUTHENTICATION_TOKEN_VALIDATION_ALGORITHM: ${badAlgorithms.join(', ')} not allowed; use ${EXTERNAL_TOKEN_ALGORITHMS.join(', ')}.`);
  }

  async function keyFor(kid: string, issuer: string): Promise<{ key: KeyObject; trusted: TrustedIssuer | null }> {
    if (issuer === options.ownIssuer) {
      const key = await ring.verificationKey(kid);
      if (!key) fail('AUTH_TOKEN_UNKNOWN_KID', 'kid not in the key ring', { kid });
      return { key, trusted: null };
    }
    const trusted = options.trusted.find((t) => t.issuer === issuer);
    if (!trusted) fail('AUTH_TOKEN_WRONG_ISSUER', 'issuer not trusted', { iss: issuer.slice(0, 200) });
    const key = await remote.getKey(trusted.jwksUrl, kid);
    if (!key) fail('AUTH_TOKEN_UNKNOWN_KID', 'kid not in the issuer JWKS', { kid, jwks: trusted.jwksUrl });
    return { key, trusted };
  }

  return {
    async verify(token: string): Promise<VerifiedToken> {
      let header: ReturnType<typeof decodeProtectedHeader>;
      let unverified: JWTPayload;
      if (token.length > MAX_TOKEN_CHARS) fail('AUTH_TOKEN_INVALID', 'token too long', { length: token.length });
      try {
        header = decodeProtectedHeader(token);
        unverified = decodeJwt(token);
      } catch {
        fail('AUTH_TOKEN_INVALID', 'not a JWS compact JWT');
      }
      if (header.crit !== undefined) fail('AUTH_TOKEN_INVALID', 'crit header');
      if (typeof unverified.iss !== 'string') fail('AUTH_TOKEN_CLAIMS', 'iss missing or not a string');
      const own = unverified.iss === options.ownIssuer;
      const algorithms = own ? [...OWN_TOKEN_ALGORITHMS] : [...options.externalAlgorithms];
      if (typeof header.alg !== 'string' || !algorithms.includes(header.alg)) fail('AUTH_TOKEN_ALGORITHM', `alg ${String(header.alg)}`);
      if (typeof header.kid !== 'string' || header.kid.length === 0 || header.kid.length > 256) fail('AUTH_TOKEN_UNKNOWN_KID', 'no kid');
      const { key, trusted } = await keyFor(header.kid, unverified.iss);
      const context = { kid: header.kid, iss: unverified.iss.slice(0, 200) };
      // The header is settled (alg from the allow-list, kid, no crit) and the key chosen by kid alone: only now is the
      // signature checked, with node:crypto on the raw signing input, then the registered claims.
      const payload = unverified;
      try {
        verifyRsaSignature(token, header.alg, key);
        checkRegisteredClaims(payload, {
          requiredClaims: REQUIRED_CLAIMS[own ? 'own' : 'external'],
          ...(trusted && trusted.audiences.length ? { audience: trusted.audiences } : {}),
          clockTolerance: skew,
          now: clock.now(),
        });
      } catch (error) {
        mapJoseError(error, context);
      }
      // One list of claim types and rules, shared with `gatehouse token inspect` so the two never disagree.
      const problem = findClaimProblems(payload, own ? 'own' : 'external')[0];
      if (problem) fail('AUTH_TOKEN_CLAIMS', `${problem.claim} ${problem.problem}`, context);
      const now = clock.now() / 1000;
      if (typeof payload.iat === 'number' && payload.iat > now + skew) fail('AUTH_TOKEN_NOT_YET_VALID', 'iat in the future', context);
      if (trusted && trusted.audiences.length && Array.isArray(payload.aud) && payload.aud.length > 1 && !trusted.audiences.includes(String(payload['azp']))) {
        fail('AUTH_TOKEN_WRONG_AUDIENCE', 'several audiences and azp is not the client id', context);
      }
      const expiresAt = typeof payload.exp === 'number' ? payload.exp * 1000 : null;
      if (!own) {
        return { kind: 'external', issuer: unverified.iss, jti: typeof payload.jti === 'string' ? payload.jti : null, expiresAt, claims: payload };
      }
      const tokenType = payload['tokenType'] as OwnTokenType;
      const scope = payload['scope'];
      return {
        kind: 'own', tokenType, subject: String(payload.sub), jti: String(payload.jti), expiresAt,
        scopes: typeof scope === 'string' ? scope.split(' ').filter(Boolean) : null, claims: payload,
      };
    },
  };
}

export type BearerVerifier = ReturnType<typeof createBearerVerifier>;
