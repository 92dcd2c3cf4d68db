import { SignJWT } from 'jose';
import { newId } from '../crypto/index.js';
import type { KeyRing } from '../keys/index.js';
import type { Clock } from '../shared/index.js';

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
}

/** The one signer: RS256 with the active key's kid, OpenMetadata's claims, and a jti for revocation. */
export async function signOwnToken(deps: { ring: KeyRing; clock: Clock; issuer: string }, input: OwnTokenInput) {
  const { kid, key } = deps.ring.signingKey();
  const iat = Math.floor(deps.clock.now() / 1000);
  const exp = input.lifetimeSeconds === null ? null : iat + input.lifetimeSeconds;
  const jti = newId();
  const claims: Record<string, unknown> = {
    email: input.email ?? undefined,
    isBot: input.isBot,
    tokenType: input.tokenType,
    roles: [...input.roles],
    ...(input.scope ? { scope: input.scope.join(' ') } : {}),
  };
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
    .setIssuer(deps.issuer)
    .setSubject(input.sub)
    .setIssuedAt(iat)
    .setJti(jti);
  if (exp !== null) jwt = jwt.setExpirationTime(exp);
  const token = await jwt.sign(key);
  // The key must keep verifying until this token expires, so record it before handing the token out.
  await deps.ring.noteSigned(kid, exp === null ? null : exp * 1000);
  return { token, jti, kid, expiresAt: exp === null ? null : exp * 1000 };
}
