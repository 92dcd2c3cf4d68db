import { decryptSecret, encryptSecret, newId, randomSecret, sha256Hex } from '../crypto/index.js';
import { GatehouseError } from '../errors/index.js';
import type { Clock } from '../shared/index.js';
import type { EndedSession, SessionRow, SessionStore } from '../storage/index.js';
import type { CreatedSession, NewSessionInput, ProviderTokens, Session, SessionPolicy } from './session-types.js';

export interface SessionServiceDeps {
  store: SessionStore;
  clock: Clock;
  policy: SessionPolicy;
  /** 32-byte key for provider tokens at rest (parseEncryptionKey of GATEHOUSE_ENCRYPTION_KEY). */
  encryptionKey: Buffer;
  previousEncryptionKeys?: readonly Buffer[];
  /** Told of every session ended on purpose (logout, revocation, eviction), e.g. to end its access tokens too. */
  onSessionsEnded?: (ended: readonly EndedSession[]) => Promise<void>;
}

const MIN_ABSOLUTE_SECONDS = 3600;

function toSession(row: SessionRow): Session {
  return {
    id: row.id,
    userId: row.user_id,
    createdAt: Number(row.created_at),
    lastSeenAt: Number(row.last_seen_at),
    idleExpiresAt: Number(row.idle_expires_at),
    absoluteExpiresAt: Number(row.absolute_expires_at),
    expiresAt: Math.min(Number(row.idle_expires_at), Number(row.absolute_expires_at)),
    providerId: row.provider_id,
    providerIssuer: row.provider_issuer,
    providerSid: row.provider_sid,
    providerSubject: row.provider_subject,
    providerCheckedAt: row.provider_checked_at === null ? null : Number(row.provider_checked_at),
    hasProviderRefreshToken: row.refresh_token_enc !== null,
    userAgent: row.user_agent,
    ip: row.ip,
  };
}

/**
 * Server-side browser sessions: an opaque 256-bit random id in the cookie, only its SHA-256 in the database.
 * Every check reads the database, so ending a session holds on every instance at once.
 */
export function createSessionService(deps: SessionServiceDeps) {
  const { store, clock, policy } = deps;
  if (!Number.isInteger(policy.absoluteSeconds) || policy.absoluteSeconds < MIN_ABSOLUTE_SECONDS) {
    throw new GatehouseError('CONFIG_INVALID', `The session lifetime (OIDC_SESSION_EXPIRY) must be at least ${MIN_ABSOLUTE_SECONDS} seconds.`);
  }
  if (!Number.isInteger(policy.idleSeconds) || policy.idleSeconds < 60) {
    throw new GatehouseError('CONFIG_INVALID', 'The session idle timeout must be at least 60 seconds.');
  }
  const absoluteMs = policy.absoluteSeconds * 1000;
  const idleMs = policy.idleSeconds * 1000;
  const touchMs = (policy.touchIntervalSeconds ?? 60) * 1000;
  const keys = { key: deps.encryptionKey, previousKeys: deps.previousEncryptionKeys ?? [] };
  // The AAD ties each ciphertext to its session and field: a box copied to another row or column does not open.
  const seal = (sessionId: string, field: string, value: string | null) =>
    value === null ? null : encryptSecret(value, { ...keys, aad: `session:${sessionId}:${field}` });
  const open = (sessionId: string, field: string, box: string | null) =>
    box === null ? null : (decryptSecret(box, { ...keys, aad: `session:${sessionId}:${field}` }) ?? null);

  const notify = async (ended: readonly EndedSession[]) => {
    if (ended.length > 0) await deps.onSessionsEnded?.(ended);
    return ended;
  };

  const isLive = (row: SessionRow, now: number) => now < Number(row.idle_expires_at) && now < Number(row.absolute_expires_at);

  return {
    /** Always a new random id, whatever the browser sent before: a planted session id is never adopted (no fixation). */
    async createSession(input: NewSessionInput): Promise<CreatedSession> {
      const now = clock.now();
      const secret = randomSecret(32);
      const id = newId();
      const absolute = now + absoluteMs;
      const p = input.provider;
      const row: SessionRow = {
        id, token_hash: sha256Hex(secret), user_id: input.userId, created_at: now, last_seen_at: now,
        idle_expires_at: Math.min(now + idleMs, absolute), absolute_expires_at: absolute,
        provider_id: p?.providerId ?? null, provider_issuer: p?.issuer ?? null, provider_sid: p?.sid ?? null,
        provider_subject: p?.subject ?? null, id_token_enc: seal(id, 'id_token', p?.idToken ?? null),
        refresh_token_enc: seal(id, 'refresh_token', p?.refreshToken ?? null), provider_checked_at: p ? now : null,
        user_agent: input.userAgent?.slice(0, 512) ?? null, ip: input.ip?.slice(0, 64) ?? null,
      };
      await store.insert(row);
      if (policy.maxPerUser > 0) await notify(await store.evictOldest(input.userId, policy.maxPerUser));
      return { secret, session: toSession(row), maxAgeSeconds: policy.absoluteSeconds };
    },

    /**
     * The live session for a cookie value, or undefined (unknown, ended, idle too long, or past its lifetime).
     * Slides the idle expiry, writing last_seen at most once per touch interval to keep reads cheap.
     */
    async validateSession(secret: string): Promise<Session | undefined> {
      if (!secret || secret.length > 256) return undefined;
      const hash = sha256Hex(secret);
      const row = await store.findByTokenHash(hash);
      if (!row) return undefined;
      const now = clock.now();
      if (!isLive(row, now)) {
        await store.deleteByTokenHash(hash);
        return undefined;
      }
      if (now - Number(row.last_seen_at) >= touchMs) {
        const idleExpiresAt = Math.min(now + idleMs, Number(row.absolute_expires_at));
        if (await store.touch(hash, { now, idleExpiresAt, seenBefore: now - touchMs })) {
          return toSession({ ...row, last_seen_at: now, idle_expires_at: idleExpiresAt });
        }
      }
      return toSession(row);
    },

    /** Gives a live session a new secret (e.g. after a privilege change); the old cookie value stops working. */
    async rotateSession(secret: string): Promise<CreatedSession | undefined> {
      const hash = sha256Hex(secret);
      const row = await store.findByTokenHash(hash);
      const now = clock.now();
      if (!row || !isLive(row, now)) return undefined;
      const next = randomSecret(32);
      const updated = await store.replaceTokenHash(hash, sha256Hex(next));
      if (!updated) return undefined;
      return { secret: next, session: toSession(updated), maxAgeSeconds: Math.max(0, Math.floor((Number(updated.absolute_expires_at) - now) / 1000)) };
    },

    /** Ends the session of this cookie value; returns it with its ID token (for the provider logout), if it existed. */
    async endSession(secret: string): Promise<{ session: Session; idToken: string | null } | undefined> {
      const row = await store.deleteByTokenHash(sha256Hex(secret));
      if (!row) return undefined;
      await notify([{ id: row.id, user_id: row.user_id }]);
      return { session: toSession(row), idToken: open(row.id, 'id_token', row.id_token_enc) };
    },

    /** Ends one session by public id; pass userId so users can only end their own. */
    async revokeSession(id: string, userId?: string): Promise<boolean> {
      const ended = await store.deleteById(id, userId);
      return (await notify(ended ? [ended] : [])).length > 0;
    },

    /** Ends every session of a user (admin action, password change, user disabled), optionally but one. */
    async revokeAllForUser(userId: string, exceptId?: string): Promise<number> {
      return (await notify(await store.deleteForUser(userId, exceptId))).length;
    },

    /** Back-channel logout by the provider's session id. */
    async revokeByProviderSid(issuer: string, sid: string): Promise<EndedSession[]> {
      return [...(await notify(await store.deleteByProviderSid(issuer, sid)))];
    },

    /** Back-channel logout by the provider's subject (every session of that person from that issuer). */
    async revokeByProviderSubject(issuer: string, subject: string): Promise<EndedSession[]> {
      return [...(await notify(await store.deleteByProviderSubject(issuer, subject)))];
    },

    async listForUser(userId: string): Promise<Session[]> {
      return (await store.listForUser(userId, clock.now())).map(toSession);
    },

    /** Decrypted provider tokens of a session (undefined when the session is gone). */
    async providerTokens(id: string): Promise<ProviderTokens | undefined> {
      const row = await store.findById(id);
      if (!row) return undefined;
      return { idToken: open(row.id, 'id_token', row.id_token_enc), refreshToken: open(row.id, 'refresh_token', row.refresh_token_enc) };
    },

    /** Compare-and-set on the last provider check: true for exactly one of several concurrent callers. */
    async claimProviderCheck(session: Session): Promise<boolean> {
      return store.claimProviderCheck(session.id, session.providerCheckedAt, clock.now());
    },

    /** Stores the provider's new tokens after a refresh (OneLogin rotates the refresh token every time). */
    async recordProviderRefresh(id: string, tokens: { refreshToken: string | null; idToken?: string | null }): Promise<boolean> {
      return store.updateProviderTokens(id, {
        refreshTokenEnc: seal(id, 'refresh_token', tokens.refreshToken),
        ...(tokens.idToken !== undefined ? { idTokenEnc: seal(id, 'id_token', tokens.idToken) } : {}),
        checkedAt: clock.now(),
      });
    },

    /** Deletes expired sessions; run it periodically (the lead's scheduler) - expired rows are refused anyway. */
    async sweep(): Promise<number> {
      return store.deleteExpired(clock.now());
    },
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
