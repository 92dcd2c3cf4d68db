import { SignJWT } from 'jose';
import { newId } from '../crypto/index.js';
import type { KeyRing } from '../keys/index.js';
import { OWN_SIGNING_ALGORITHM, type Clock } from '../shared/index.js';
import { identityHeaders, type GatewayIdentity } from './identity-headers.js';

/** How long an assertion lives: minutes, so a copied one is soon worthless (the upstream checks exp). */
export const ASSERTION_LIFETIME_SECONDS = 180;
/** A signed assertion is reused this long for the same principal and audience: signing costs ~1 ms of RSA. */
const REUSE_MS = 15_000;
/** Key liveness is recorded once per this window (one database write), covering every assertion signed in it. */
const NOTE_WINDOW_MS = 60_000;
const MAX_CACHED = 10_000;

export interface AssertionSignerDeps {
  readonly ring: Pick<KeyRing, 'signingKey' | 'noteSigned' | 'reload'>;
  readonly clock: Clock;
  /** Gatehouse's issuer (jwt.issuer), the `iss` of every assertion. */
  readonly issuer: string;
  readonly lifetimeSeconds?: number;
}

/** Signs the gateway's assertion for the upstream: a compact RS256 JWT verifiable from Gatehouse's JWKS alone. */
export interface AssertionSigner {
  /** `audience`: the upstream it is meant for (its origin, e.g. "https://data.example.com"). */
  sign(identity: GatewayIdentity, audience: string): Promise<string>;
  /**
   * The identity headers with the assertion (identity-headers.ts), rendered once per signed assertion and reused with
   * it: the escaping of every value costs more than the rest of a cached check. Frozen, shared by every caller.
   */
  identityHeaders(identity: GatewayIdentity, audience: string): Promise<Readonly<Record<string, string>>>;
}

/**
 * Claims: iss, sub (the user name), aud, email, roles, admin, amr (how authenticated), iat, exp, jti. Nothing else,
 * so the header stays a few hundred bytes (nginx's default proxy buffer is 4 KiB for all of the answer's headers).
 * The same assertion is reused for a few seconds per principal and audience; its jti names the assertion, not a request.
 */
export function createAssertionSigner(deps: AssertionSignerDeps): AssertionSigner {
  const lifetime = deps.lifetimeSeconds ?? ASSERTION_LIFETIME_SECONDS;
  const cache = new Map<string, { jwt: string; until: number; kid: string; headers: Readonly<Record<string, string>> }>();
  // The key must stay published until the last assertion it signed has expired; recorded per window, not per token.
  const notedUntil = new Map<string, number>();

  async function liveKey(expiresAtMs: number) {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const active = deps.ring.signingKey();
      if ((notedUntil.get(active.kid) ?? 0) >= expiresAtMs) return active;
      const mark = expiresAtMs + NOTE_WINDOW_MS;
      if (await deps.ring.noteSigned(active.kid, mark)) {
        notedUntil.set(active.kid, mark);
        return active;
      }
      // Another instance retired this key meanwhile: use the new active one rather than sign what will never verify.
      notedUntil.delete(active.kid);
      await deps.ring.reload();
    }
    return deps.ring.signingKey();
  }

  // The display name is not in the assertion but is in the headers: part of the key, so a rename renders anew.
  const keyOf = (identity: GatewayIdentity, audience: string) =>
    [identity.name, identity.method, identity.email ?? '', identity.isAdmin ? 1 : 0, identity.roles.join(','), identity.displayName ?? '', audience].join('\n');

  async function entryFor(identity: GatewayIdentity, audience: string) {
    const now = deps.clock.now();
    const key = keyOf(identity, audience);
    const cached = cache.get(key);
    // A rotation makes the next request sign with the new key, so verifiers never wait on a retiring one.
    if (cached && cached.until > now && cached.kid === deps.ring.signingKey().kid) return cached;
    const iat = Math.floor(now / 1000);
    const exp = iat + lifetime;
    const { kid, key: privateKey } = await liveKey(exp * 1000);
    const claims: Record<string, unknown> = { roles: [...identity.roles], admin: identity.isAdmin, amr: [identity.method] };
    if (identity.email) claims['email'] = identity.email;
    const jwt = await new SignJWT(claims)
      .setProtectedHeader({ alg: OWN_SIGNING_ALGORITHM, typ: 'JWT', kid })
      .setIssuer(deps.issuer)
      .setSubject(identity.name)
      .setAudience(audience)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .setJti(newId())
      .sign(privateKey);
    if (cache.size >= MAX_CACHED) cache.clear();
    const entry = { jwt, until: now + REUSE_MS, kid, headers: Object.freeze(identityHeaders(identity, jwt)) };
    cache.set(key, entry);
    return entry;
  }

  return {
    sign: async (identity, audience) => (await entryFor(identity, audience)).jwt,
    identityHeaders: async (identity, audience) => (await entryFor(identity, audience)).headers,
  };
}
