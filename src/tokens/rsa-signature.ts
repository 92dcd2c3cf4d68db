import { verify, type KeyObject } from 'node:crypto';
import { errors as joseErrors, type JWTPayload } from 'jose';

/** node:crypto's names for the RSA PKCS#1 v1.5 algorithms our allow-lists hold (shared/algorithms.ts). */
const DIGESTS: Readonly<Record<string, string>> = { RS256: 'RSA-SHA256', RS384: 'RSA-SHA384', RS512: 'RSA-SHA512' };
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Checks a compact JWS's RSA signature with node:crypto on the raw signing input (header.payload, as sent). Called only
 * after the verifier's strict header checks chose `alg` from its allow-list and the key by kid. One synchronous call:
 * jose's WebCrypto path costs several times more per first use of a token (docs/performance.md). Throws jose's errors,
 * so the verifier's one mapping to coded errors stays as it is.
 */
export function verifyRsaSignature(token: string, alg: string, key: KeyObject): void {
  const digest = DIGESTS[alg];
  if (!digest) throw new joseErrors.JOSEAlgNotAllowed(`alg ${alg} is not an RSA PKCS#1 algorithm`);
  // The same key rules jose applies: an RSA public key of at least 2048 bits.
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (key.asymmetricKeyType !== 'rsa' || typeof bits !== 'number' || bits < 2048) throw new TypeError(`${alg} requires an RSA key of 2048 bits or more`);
  const dot = token.lastIndexOf('.');
  const signature = token.slice(dot + 1);
  // Buffer's base64url decoder skips foreign characters; a signature must be exactly base64url.
  if (!BASE64URL.test(signature)) throw new joseErrors.JWSInvalid('signature is not base64url');
  if (!verify(digest, Buffer.from(token.slice(0, dot), 'ascii'), key, Buffer.from(signature, 'base64url'))) {
    throw new joseErrors.JWSSignatureVerificationFailed();
  }
}

export interface ClaimTimeOptions {
  /** Claims that must be present (besides iss, and aud when `audience` is set). */
  requiredClaims: readonly string[];
  /** When set, aud must be or contain one of these. */
  audience?: readonly string[];
  /** Seconds. */
  clockTolerance: number;
  /** ms since 1970. */
  now: number;
}

function numericDate(claims: JWTPayload, claim: 'iat' | 'nbf' | 'exp'): number | undefined {
  const value = claims[claim];
  if (value === undefined) return undefined;
  if (typeof value !== 'number') throw new joseErrors.JWTClaimValidationFailed(`"${claim}" claim must be a number`, claims, claim, 'invalid');
  return value;
}

/**
 * The registered-claim checks jose's jwtVerify makes after the signature, in the same order and with the same errors
 * (presence, audience, nbf, exp), for the path that verifies with node:crypto. The verifier's own claim list
 * (claim-checks.ts) and its iat rule run after this, as before.
 */
export function checkRegisteredClaims(claims: JWTPayload, options: ClaimTimeOptions): void {
  const presence = [...options.requiredClaims, ...(options.audience ? ['aud'] : []), 'iss'].reverse();
  for (const claim of new Set(presence)) {
    if (!Object.hasOwn(claims, claim)) throw new joseErrors.JWTClaimValidationFailed(`missing required "${claim}" claim`, claims, claim, 'missing');
  }
  if (options.audience) {
    const aud = claims.aud;
    const audiences = options.audience;
    const present = typeof aud === 'string' ? audiences.includes(aud) : Array.isArray(aud) ? audiences.some((a) => aud.includes(a)) : false;
    if (!present) throw new joseErrors.JWTClaimValidationFailed('unexpected "aud" claim value', claims, 'aud', 'check_failed');
  }
  const now = Math.floor(options.now / 1000);
  const tolerance = options.clockTolerance;
  numericDate(claims, 'iat');
  const nbf = numericDate(claims, 'nbf');
  if (nbf !== undefined && nbf > now + tolerance) throw new joseErrors.JWTClaimValidationFailed('"nbf" claim timestamp check failed', claims, 'nbf', 'check_failed');
  const exp = numericDate(claims, 'exp');
  if (exp !== undefined && exp <= now - tolerance) throw new joseErrors.JWTExpired('"exp" claim timestamp check failed', claims, 'exp', 'check_failed');
}
