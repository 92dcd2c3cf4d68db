import { compactVerify, type CryptoKey, type JWSHeaderParameters } from 'jose';
import { GatehouseError, isGatehouseError, type ErrorCode } from '../errors/index.js';

export type KeyResolver = (header: JWSHeaderParameters) => Promise<CryptoKey>;
export type Claims = Record<string, unknown>;

/** A refusal with the failed check kept for the log (never for the user). */
export function refuse(code: ErrorCode, reason: string, extra: Record<string, unknown> = {}): GatehouseError {
  return new GatehouseError(code, undefined, { internal: { reason, ...extra } });
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
  if (typeof token !== 'string' || token.length > 64 * 1024) throw refuse(code, 'token missing or too large');
  let payload: Uint8Array;
  let header: JWSHeaderParameters;
  try {
    const result = await compactVerify(token, getKey, { algorithms: [...algorithms] });
    payload = result.payload;
    header = result.protectedHeader;
  } catch (err) {
    if (isGatehouseError(err)) throw err;
    const name = err instanceof Error ? ((err as { code?: string }).code ?? err.name) : 'unknown';
    throw refuse(code, `signature: ${name}`, { cause: err instanceof Error ? err.message : String(err) });
  }
  let claims: unknown;
  try {
    claims = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    throw refuse(code, 'payload is not JSON');
  }
  if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) throw refuse(code, 'payload is not an object');
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
  if (!list || !list.includes(rule.clientId)) throw refuse(code, 'aud does not contain the client id', { aud });
  const trusted = new Set([rule.clientId, ...(rule.trustedAudiences ?? [])]);
  const untrusted = list.filter((a) => !trusted.has(a));
  if (untrusted.length > 0) throw refuse(code, 'aud contains an untrusted audience', { untrusted });
  const azp = claims['azp'];
  if (list.length > 1 && azp === undefined) throw refuse(code, 'azp missing with several audiences');
  if (azp !== undefined && azp !== rule.clientId) throw refuse(code, 'azp is not the client id', { azp });
}

/** exp required and not past; iat required and not in the future; nbf respected; all with the allowed skew. */
export function checkTimes(claims: Claims, nowMs: number, skewSeconds: number, code: ErrorCode, options: { requireExp: boolean }): void {
  const now = Math.floor(nowMs / 1000);
  const { exp, iat, nbf } = claims;
  if (exp === undefined && !options.requireExp) {
    // Logout tokens may omit exp; iat bounds them instead.
  } else if (typeof exp !== 'number' || !Number.isFinite(exp)) {
    throw refuse(code, 'exp missing or not a number');
  } else if (now >= exp + skewSeconds) {
    throw refuse(code, 'expired', { exp, now });
  }
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw refuse(code, 'iat missing or not a number');
  if (iat > now + skewSeconds) throw refuse(code, 'issued in the future', { iat, now });
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > now + skewSeconds)) throw refuse(code, 'not yet valid (nbf)', { nbf, now });
}
