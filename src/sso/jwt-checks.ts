import type { KeyObject } from 'node:crypto';
import { compactVerify, type CryptoKey, type JWSHeaderParameters } from 'jose';
import { GatehouseError, isGatehouseError, type ErrorCode } from '../errors/index.js';

export type KeyResolver = (header: JWSHeaderParameters) => Promise<CryptoKey | KeyObject>;
export type Claims = Record<string, unknown>;

/**
 * The checks a provider's JWT can fail, by a short stable name. The name (not the reason, which may quote the token)
 * is what the sign-in page shows for SSO_ID_TOKEN_INVALID, so operators can tell a clock problem from a wrong client id.
 */
export const TOKEN_CHECKS = [
  'signature', 'algorithm', 'type', 'issuer', 'audience', 'azp', 'expiry', 'issued-at', 'not-before', 'subject', 'auth-time',
  'nonce', 'jti', 'events', 'sid-or-sub',
] as const;
export type TokenCheck = (typeof TOKEN_CHECKS)[number];

/** A refusal with the failed check named; the reason and extra details stay in `internal` for the log. */
export function refuse(code: ErrorCode, check: TokenCheck, reason: string, extra: Record<string, unknown> = {}): GatehouseError {
  return new GatehouseError(code, undefined, { internal: { check, reason, ...extra } });
}

/** The check a coded error names, when it is one of ours (anything else, e.g. a forged value, gives undefined). */
export function failedCheck(err: unknown): TokenCheck | undefined {
  const check = isGatehouseError(err) ? err.internal?.['check'] : undefined;
  return TOKEN_CHECKS.find((c) => c === check);
}

/**
 * Verifies the signature with a key from the provider's JWKS and the algorithm allow-list, then parses the claims.
 * `alg: none` and HMAC algorithms never pass: jose refuses any algorithm outside the list before looking for a key.
 */
export async function verifySignature(
  token: string,
  getKey: KeyResolver,
  algorithms: readonly string[],
  code: ErrorCode,
): Promise<{ claims: Claims; header: JWSHeaderParameters }> {
  if (typeof token !== 'string' || token.length > 64 * 1024) throw refuse(code, 'signature', 'token missing or too large');
  let payload: Uint8Array;
  let header: JWSHeaderParameters;
  try {
    const result = await compactVerify(token, getKey, { algorithms: [...algorithms] });
    payload = result.payload;
    header = result.protectedHeader;
  } catch (err) {
    if (isGatehouseError(err)) throw err;
    const name = err instanceof Error ? ((err as { code?: string }).code ?? err.name) : 'unknown';
    // An algorithm outside the allow-list is a configuration mismatch, not a forgery: name it apart.
    throw refuse(code, name === 'ERR_JOSE_ALG_NOT_ALLOWED' ? 'algorithm' : 'signature', `signature: ${name}`, { cause: err instanceof Error ? err.message : String(err) });
  }
  let claims: unknown;
  try {
    claims = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    throw refuse(code, 'signature', 'payload is not JSON');
  }
  if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) throw refuse(code, 'signature', 'payload is not an object');
  return { claims: claims as Claims, header };
}

export interface AudienceRule {
  clientId: string;
  /** Audiences besides the client id that may appear (default: none). */
  trustedAudiences?: readonly string[];
}

/** aud must contain the client id and nothing untrusted; azp, when present, must be the client id (required with several aud). */
export function checkAudience(claims: Claims, rule: AudienceRule, code: ErrorCode): void {
  const aud = claims['aud'];
  const list = typeof aud === 'string' ? [aud] : Array.isArray(aud) && aud.every((a) => typeof a === 'string') ? (aud as string[]) : undefined;
  if (!list || !list.includes(rule.clientId)) throw refuse(code, 'audience', 'aud does not contain the client id', { aud });
  const trusted = new Set([rule.clientId, ...(rule.trustedAudiences ?? [])]);
  const untrusted = list.filter((a) => !trusted.has(a));
  if (untrusted.length > 0) throw refuse(code, 'audience', 'aud contains an untrusted audience', { untrusted });
  const azp = claims['azp'];
  if (list.length > 1 && azp === undefined) throw refuse(code, 'azp', 'azp missing with several audiences');
  if (azp !== undefined && azp !== rule.clientId) throw refuse(code, 'azp', 'azp is not the client id', { azp });
}

/** exp required and not past; iat required and not in the future; nbf respected; all with the allowed skew. */
export function checkTimes(claims: Claims, nowMs: number, skewSeconds: number, code: ErrorCode, options: { requireExp: boolean }): void {
  const now = Math.floor(nowMs / 1000);
  const { exp, iat, nbf } = claims;
  if (exp === undefined && !options.requireExp) {
    // Logout tokens may omit exp; iat bounds them instead.
  } else if (typeof exp !== 'number' || !Number.isFinite(exp)) {
    throw refuse(code, 'expiry', 'exp missing or not a number');
  } else if (now >= exp + skewSeconds) {
    throw refuse(code, 'expiry', 'expired', { exp, now });
  }
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw refuse(code, 'issued-at', 'iat missing or not a number');
  if (iat > now + skewSeconds) throw refuse(code, 'issued-at', 'issued in the future', { iat, now });
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > now + skewSeconds)) throw refuse(code, 'not-before', 'not yet valid (nbf)', { nbf, now });
}
