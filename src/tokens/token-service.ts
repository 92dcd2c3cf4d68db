import { compactVerify, decodeProtectedHeader } from 'jose';
import { derivePrincipal, isDomainAllowed, isPermission, type Permission, type PrincipalLoader, type Principal, type PrincipalNameRules } from '../authz/index.js';
import { sha256Hex } from '../crypto/index.js';
import { GatehouseError } from '../errors/index.js';
import type { KeyRing } from '../keys/index.js';
import { isAllowedAlgorithm, OWN_TOKEN_ALGORITHMS, type Clock, type Logger } from '../shared/index.js';
import type { ApiTokenRow, ApiTokenStore, EndedSignInStore, UserRow } from '../storage/index.js';
import { parseTokenExpiry } from './expiry.js';
import { signOwnToken } from './sign-token.js';
import type { VerifiedCache } from './verified-cache.js';
import type { BearerVerifier } from './verify-bearer.js';

/** A limited personal token that may only read. */
export const READ_ONLY_SCOPE: readonly Permission[] = ['entity:view', 'user:view'];

export interface TokenServiceDeps {
  ring: KeyRing;
  verifier: BearerVerifier;
  store: ApiTokenStore;
  cache: VerifiedCache;
  principals: PrincipalLoader;
  clock: Clock;
  logger: Logger;
  issuer: string;
  accessTokenTtlSeconds: number;
  allowUnlimited: boolean;
  nameRules: PrincipalNameRules;
  domainRules: { enforcePrincipalDomain: boolean; principalDomain: string | null; allowedDomains: readonly string[] };
  /** Tells every instance that a token died (cache invalidation). */
  publishRevoked(jti: string): void | Promise<void>;
  /** Ended password sign-ins: a user access token whose `sid` is here is refused. */
  signIns: EndedSignInStore;
  /** Tells every instance that a sign-in ended (its access tokens leave the cache). */
  publishSignInEnded(signInId: string): void | Promise<void>;
}

/** Kept past the access-token lifetime: covers clock skew and a lifetime shortened by configuration meanwhile. */
const ENDED_SIGN_IN_MARGIN_MS = 15 * 60_000;

export interface TokenMetadata {
  id: string;
  name: string | null;
  kind: string;
  scopes: string[] | null;
  expiresAt: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revoked: boolean;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function toTokenMetadata(row: ApiTokenRow): TokenMetadata {
  return {
    id: row.id, name: row.name, kind: row.kind, scopes: row.scopes ? (JSON.parse(row.scopes) as string[]) : null,
    expiresAt: iso(row.expires_at), createdAt: iso(row.created_at) as string, lastUsedAt: iso(row.last_used_at), revoked: row.revoked_at !== null,
  };
}

/** Issues, verifies, caches and revokes the tokens Gatehouse signs, and accepts trusted issuers' tokens. */
export function createTokenService(deps: TokenServiceDeps) {
  const { store, cache, principals, clock } = deps;
  // Last use per token id, written by flushLastUsed() (every few seconds and at shutdown), never by a request.
  const lastUsed = new Map<string, number>();
  let writing: Promise<void> = Promise.resolve();
  const sign = (input: Parameters<typeof signOwnToken>[1]) => signOwnToken({ ring: deps.ring, clock, issuer: deps.issuer }, input);

  // last_used_at is advisory: a request only notes the time in memory; the flush writes every noted token at once.
  function touch(jti: string | null): void {
    if (jti) lastUsed.set(jti, clock.now());
  }

  async function resolve(token: string, hash: string): Promise<{ principal: Principal; until: number; scopes: readonly Permission[] | null; signInId: string | null }> {
    const verified = await deps.verifier.verify(token);
    const now = clock.now();
    if (verified.kind === 'external') {
      const derived = derivePrincipal(verified.claims, deps.nameRules);
      if (!derived) throw new GatehouseError('AUTH_TOKEN_CLAIMS', undefined, { internal: { reason: 'no principal claim' } });
      if (!isDomainAllowed(derived.email, deps.domainRules)) throw new GatehouseError('AUTH_TOKEN_DOMAIN');
      const principal = await principals.byName(derived.name, 'external-token', verified.jti);
      if (!principal || principal.isBot) throw new GatehouseError('AUTH_TOKEN_UNKNOWN_USER', undefined, { internal: { name: derived.name } });
      return { principal, until: verified.expiresAt ?? now, scopes: null, signInId: null };
    }
    if (verified.tokenType === 'OM_USER') {
      // Tokens from before sign-ins were recorded carry no sid: they keep working until they expire (one access-token
      // lifetime after the upgrade at most); every token issued since has one and dies with its sign-in.
      // The verifier's claim checks (claim-checks.ts) made sure sid, when present, is a short string.
      const sid = verified.claims['sid'] as string | undefined;
      if (sid !== undefined && (await deps.signIns.isEnded(sid))) {
        throw new GatehouseError('AUTH_TOKEN_REVOKED', undefined, { internal: { jti: verified.jti, reason: 'sign-in ended' } });
      }
      const principal = await principals.byName(verified.subject, 'user-token', verified.jti);
      if (!principal || principal.isBot) throw new GatehouseError('AUTH_TOKEN_REVOKED', undefined, { internal: { reason: 'user missing or disabled' } });
      return { principal, until: verified.expiresAt ?? now, scopes: null, signInId: sid ?? null };
    }
    // Bot and personal tokens must be on record, unrevoked, and exactly this token (a bot keeps only its newest).
    const record = await store.find(verified.jti);
    if (!record || record.revoked_at !== null || record.token_hash !== hash || record.kind !== verified.tokenType) {
      throw new GatehouseError('AUTH_TOKEN_REVOKED', undefined, { internal: { jti: verified.jti, reason: record ? 'revoked or replaced' : 'no record' } });
    }
    const scopes = record.scopes ? (JSON.parse(record.scopes) as string[]).filter(isPermission) : null;
    const method = verified.tokenType === 'BOT' ? 'bot-token' : 'personal-token';
    const principal = await principals.byId(record.user_id, method, verified.jti, scopes);
    if (!principal || principal.name !== verified.subject || principal.isBot !== (verified.tokenType === 'BOT')) {
      throw new GatehouseError('AUTH_TOKEN_REVOKED', undefined, { internal: { jti: verified.jti, reason: 'user missing, disabled or changed' } });
    }
    return { principal, until: verified.expiresAt ?? Number.MAX_SAFE_INTEGER, scopes, signInId: null };
  }

  async function revokeRows(ids: readonly string[]): Promise<void> {
    for (const id of ids) cache.invalidateToken(id);
    // Answered only once the other instances can hear it (see ChangeFeed.publish).
    await Promise.all(ids.map((id) => deps.publishRevoked(id)));
  }

  return {
    /** Bearer token -> principal, cached by the token's hash until its expiry (at most 10 minutes per entry). */
    async authenticate(token: string): Promise<Principal> {
      const hash = sha256Hex(token);
      const now = clock.now();
      const hit = cache.get(hash, now);
      if (hit) {
        // Fast path: nothing about the user changed since verification (same marker), so the principal stands as built.
        const marker = principals.marker(hit.userId);
        if (marker !== undefined && marker === hit.marker) {
          touch(hit.method === 'bot-token' || hit.method === 'personal-token' ? hit.jti : null);
          return hit.principal;
        }
        const principal = await principals.byId(hit.userId, hit.method, hit.jti, hit.scopes);
        if (!principal) throw new GatehouseError('AUTH_TOKEN_REVOKED', undefined, { internal: { reason: 'user missing or disabled' } });
        hit.principal = principal;
        hit.marker = principals.marker(hit.userId);
        touch(hit.method === 'bot-token' || hit.method === 'personal-token' ? hit.jti : null);
        return principal;
      }
      const generation = cache.generation();
      const { principal, until, scopes, signInId } = await resolve(token, hash);
      cache.set(hash, {
        userId: principal.userId, method: principal.method, jti: principal.credentialId, signInId, scopes, until: Math.min(until, now + 600_000),
        principal, marker: principals.marker(principal.userId),
      }, generation);
      touch(principal.method === 'bot-token' || principal.method === 'personal-token' ? principal.credentialId : null);
      return principal;
    },

    /**
     * Writes the last use of every token used since the previous flush, in one statement. The server calls it every
     * few seconds and at shutdown (core.ts, compose.ts). A failed write is logged and dropped: the next use notes it again.
     */
    async flushLastUsed(): Promise<void> {
      // Writes run one after another, and a flush returns only when the ones before it are done too: at shutdown the
      // timer's write still running is on record before the database closes.
      const uses = [...lastUsed].map(([id, at]) => ({ id, at }));
      lastUsed.clear();
      const write = writing.then(async () => {
        if (uses.length === 0) return;
        await store.touchMany(uses).catch((error: unknown) => deps.logger.warn({ err: error, tokens: uses.length }, 'could not record token use'));
      });
      writing = write;
      await write;
    },

    /** A short-lived user access token bound to its sign-in (`sid`): ending the sign-in refuses it. */
    async issueUserAccessToken(user: UserRow, roles: readonly string[], signInId: string) {
      const signed = await sign({ sub: user.name, email: user.email, isBot: false, tokenType: 'OM_USER', roles, lifetimeSeconds: deps.accessTokenTtlSeconds, sid: signInId });
      return { token: signed.token, expiresAt: signed.expiresAt as number };
    },

    /** Ends sign-ins: their access tokens are refused from the next request on, on every instance. */
    async endSignIns(userId: string, signInIds: readonly string[]): Promise<void> {
      if (signInIds.length === 0) return;
      const now = clock.now();
      await deps.signIns.end(signInIds, userId, now, now + deps.accessTokenTtlSeconds * 1000 + ENDED_SIGN_IN_MARGIN_MS);
      for (const id of signInIds) cache.invalidateSignIn(id);
      await Promise.all(signInIds.map((id) => deps.publishSignInEnded(id)));
    },

    /**
     * The sign-in of a user access token whose signature verifies with our keys, expired or not (a logout may name an
     * expired token); undefined for anything else, so a forged token cannot end anyone's sign-in.
     */
    async signInOf(token: string): Promise<{ signInId: string; subject: string } | undefined> {
      try {
        const { kid, alg } = decodeProtectedHeader(token);
        if (!isAllowedAlgorithm(OWN_TOKEN_ALGORITHMS, alg) || typeof kid !== 'string') return undefined;
        const key = await deps.ring.verificationKey(kid);
        if (!key) return undefined;
        const { payload } = await compactVerify(token, key, { algorithms: [...OWN_TOKEN_ALGORITHMS] });
        const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
        const { iss, sub, sid, tokenType } = claims;
        if (iss !== deps.issuer || tokenType !== 'OM_USER' || typeof sub !== 'string' || typeof sid !== 'string') return undefined;
        return { signInId: sid, subject: sub };
      } catch {
        return undefined;
      }
    },

    /** A bot's new token; its previous token stops working at once. */
    async issueBotToken(bot: UserRow, roles: readonly string[], expiry: string) {
      if (bot.is_bot !== 1) throw new GatehouseError('TOKEN_BOTS_ONLY');
      const lifetime = parseTokenExpiry(expiry, { allowUnlimited: deps.allowUnlimited });
      const signed = await sign({ sub: bot.name, email: bot.email, isBot: true, tokenType: 'BOT', roles, lifetimeSeconds: lifetime });
      // Stored and the previous token revoked in one transaction: the bot always has exactly one current token.
      const replaced = await store.replaceBotToken(
        { id: signed.jti, user_id: bot.id, kind: 'BOT', name: null, token_hash: sha256Hex(signed.token), scopes: null, expires_at: signed.expiresAt, created_at: clock.now(), last_used_at: null, revoked_at: null },
        clock.now(),
      );
      await revokeRows(replaced);
      return signed;
    },

    async issuePersonalToken(user: UserRow, roles: readonly string[], input: { name: string; expiry: string; scopes: readonly string[] | null }) {
      if (user.is_bot === 1) throw new GatehouseError('TOKEN_NO_PERSONAL_FOR_BOTS');
      const lifetime = parseTokenExpiry(input.expiry, { allowUnlimited: deps.allowUnlimited });
      let scopes: Permission[] | null = null;
      if (input.scopes) {
        const expanded = input.scopes.flatMap((s) => (s === 'read-only' ? [...READ_ONLY_SCOPE] : [s]));
        const unknown = expanded.filter((s) => !isPermission(s));
        if (unknown.length) throw new GatehouseError('REQUEST_INVALID', `Unknown scope(s): ${unknown.slice(0, 5).join(', ')}; use "read-only" or permission names.`);
        scopes = [...new Set(expanded.filter(isPermission))];
      }
      const signed = await sign({ sub: user.name, email: user.email, isBot: false, tokenType: 'PERSONAL_ACCESS', roles, lifetimeSeconds: lifetime, scope: scopes });
      await store.insert({ id: signed.jti, user_id: user.id, kind: 'PERSONAL_ACCESS', name: input.name, token_hash: sha256Hex(signed.token), scopes: scopes ? JSON.stringify(scopes) : null, expires_at: signed.expiresAt, created_at: clock.now(), last_used_at: null, revoked_at: null });
      return { ...signed, scopes };
    },

    async list(userId: string, kind: 'BOT' | 'PERSONAL_ACCESS'): Promise<TokenMetadata[]> {
      // Uses noted on this instance since the last flush show at once (the row catches up at the next flush).
      return (await store.listForUser(userId, kind)).map((row) => {
        const pending = lastUsed.get(row.id);
        return toTokenMetadata(pending !== undefined && pending > (row.last_used_at ?? 0) ? { ...row, last_used_at: pending } : row);
      });
    },
    /** Revokes tokens by id (limited to one user's when userId is given); holds on the next request everywhere. */
    async revoke(ids: readonly string[], userId: string | null): Promise<string[]> {
      const revoked = await store.revoke(ids, userId, clock.now());
      await revokeRows(revoked);
      return revoked;
    },
    async revokeAllForUser(userId: string, kind: 'BOT' | 'PERSONAL_ACCESS' | null = null): Promise<string[]> {
      const revoked = await store.revokeAllOfKind(userId, kind, clock.now());
      await revokeRows(revoked);
      cache.invalidateUser(userId);
      return revoked;
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
