import type { KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { newId } from '../crypto/index.js';
import { GatehouseError } from '../errors/index.js';
import type { KeyRing } from '../keys/index.js';
import { OWN_SIGNING_ALGORITHM, type Clock } from '../shared/index.js';

export type OwnTokenType = 'BOT' | 'PERSONAL_ACCESS' | 'OM_USER';

export interface OwnTokenInput {
  sub: string;
  email: string | null;
  isBot: boolean;
  tokenType: OwnTokenType;
  roles: readonly string[];
  /** Seconds of validity; null = Unlimited (no exp claim). */
  lifetimeSeconds: number | null;
  /** Limited personal tokens: the permissions they keep. */
  scope?: readonly string[] | null;
  /** User access tokens: the sign-in (refresh-token family) they belong to, so ending it refuses them. */
  sid?: string;
}

/**
 * The active key, after recording how long the coming token lives: the key must keep verifying (and must not retire by
 * itself) until then, so the mark is written before the token exists. If another instance retired the key meanwhile,
 * reload once and use the new active key rather than hand out a token that would never verify.
 */
async function liveSigningKey(ring: KeyRing, expiresAt: number | null): Promise<{ kid: string; key: KeyObject }> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const active = ring.signingKey();
    if (await ring.noteSigned(active.kid, expiresAt)) return active;
    await ring.reload();
  }
  throw new GatehouseError('KEYS_MISSING', undefined, { internal: { reason: 'the active key was retired while signing' } });
}

/** The one signer: RS256 with the active key's kid, OpenMetadata's claims, and a jti for revocation. */
export async function signOwnToken(deps: { ring: KeyRing; clock: Clock; issuer: string }, input: OwnTokenInput) {
  const iat = Math.floor(deps.clock.now() / 1000);
  const exp = input.lifetimeSeconds === null ? null : iat + input.lifetimeSeconds;
  const { kid, key } = await liveSigningKey(deps.ring, exp === null ? null : exp * 1000);
  const jti = newId();
  const claims: Record<string, unknown> = {
    email: input.email ?? undefined,
    isBot: input.isBot,
    tokenType: input.tokenType,
    roles: [...input.roles],
    ...(input.scope ? { scope: input.scope.join(' ') } : {}),
    ...(input.sid ? { sid: input.sid } : {}),
  };
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: OWN_SIGNING_ALGORITHM, typ: 'JWT', kid })
    .setIssuer(deps.issuer)
    .setSubject(input.sub)
    .setIssuedAt(iat)
    .setJti(jti);
  if (exp !== null) jwt = jwt.setExpirationTime(exp);
  const token = await jwt.sign(key);
  return { token, jti, kid, expiresAt: exp === null ? null : exp * 1000 };
}
