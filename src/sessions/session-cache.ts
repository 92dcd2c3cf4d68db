import type { Clock } from '../shared/index.js';
import type { EndedSession, SessionRow, SessionStore } from '../storage/index.js';

/** How long a looked-up session row is reused at most; ending a session drops it at once (see below). */
export const SESSION_CACHE_MS = 5_000;
const MAX_ENTRIES = 20_000;

export interface SessionCacheDeps {
  readonly clock: Clock;
  /** Tells every instance (the change feed, `{ kind: 'session', id }`) that a session ended or changed. */
  readonly publishChanged: (sessionId: string) => void | Promise<void>;
  readonly ttlMs?: number;
  readonly maxEntries?: number;
  readonly onLookup?: (hit: boolean) => void;
}

/** The session store with a short per-instance cache of rows by token hash, and the hooks the change feed calls. */
export interface CachedSessionStore extends SessionStore {
  /** A session ended or changed (here or on another instance): its row leaves the cache. */
  invalidateSession(sessionId: string): void;
  /** The user changed (deactivated, deleted, roles): every cached session of the user goes. */
  invalidateUser(userId: string): void;
  clear(): void;
}

/**
 * Every cookie request used to read its session row: the largest part of the gateway's forward-auth decision. Rows are
 * now reused for a few seconds, and every write through this store that ends or changes a session drops the row here
 * and publishes the session's id, so logout and revocation hold on the next request on every instance (PostgreSQL
 * LISTEN/NOTIFY). A cached row is only ever trusted to say "live": a row that looks expired is read again (another
 * instance may have slid its idle expiry), and a read that raced with an invalidation is not cached (generation).
 */
export function createCachedSessionStore(store: SessionStore, deps: SessionCacheDeps): CachedSessionStore {
  const ttlMs = deps.ttlMs ?? SESSION_CACHE_MS;
  const maxEntries = deps.maxEntries ?? MAX_ENTRIES;
  const rows = new Map<string, { row: SessionRow; until: number }>();
  let generation = 0;

  const isLive = (row: SessionRow, now: number) => now < Number(row.idle_expires_at) && now < Number(row.absolute_expires_at);
  function dropWhere(test: (row: SessionRow) => boolean): void {
    generation += 1;
    for (const [hash, entry] of rows) if (test(entry.row)) rows.delete(hash);
  }
  const invalidateSession = (id: string) => dropWhere((row) => row.id === id);
  /** Local drop first (this request sees it), then every other instance. */
  async function ended(list: readonly EndedSession[]): Promise<void> {
    for (const session of list) invalidateSession(session.id);
    // Answered only once the other instances can hear it (see ChangeFeed.publish).
    await Promise.all(list.map((session) => deps.publishChanged(session.id)));
  }

  /** A store call that ends sessions, followed by telling every instance which. */
  function endingAll<A extends unknown[]>(end: (...args: A) => Promise<EndedSession[]>): (...args: A) => Promise<EndedSession[]> {
    return async (...args) => {
      const list = await end(...args);
      await ended(list);
      return list;
    };
  }

  return {
    ...store,
    async findByTokenHash(tokenHash) {
      const now = deps.clock.now();
      const cached = rows.get(tokenHash);
      if (cached && cached.until > now && isLive(cached.row, now)) {
        deps.onLookup?.(true);
        return cached.row;
      }
      deps.onLookup?.(false);
      rows.delete(tokenHash);
      const before = generation;
      const row = await store.findByTokenHash(tokenHash);
      if (row && before === generation && isLive(row, now)) {
        if (rows.size >= maxEntries) rows.delete(rows.keys().next().value as string);
        rows.set(tokenHash, { row, until: now + ttlMs });
      }
      return row;
    },
    async touch(tokenHash, update) {
      const touched = await store.touch(tokenHash, update);
      const cached = rows.get(tokenHash);
      if (cached && touched) cached.row = { ...cached.row, last_seen_at: update.now, idle_expires_at: update.idleExpiresAt };
      // Another instance touched it first: read it again rather than try to write on every request.
      else rows.delete(tokenHash);
      return touched;
    },
    async replaceTokenHash(oldHash, newHash) {
      const updated = await store.replaceTokenHash(oldHash, newHash);
      rows.delete(oldHash);
      if (updated) await ended([updated]);
      return updated;
    },
    async claimProviderCheck(id, expectedCheckedAt, now) {
      const claimed = await store.claimProviderCheck(id, expectedCheckedAt, now);
      // Either way the cached provider_checked_at is stale now.
      await ended([{ id, user_id: '' }]);
      return claimed;
    },
    async updateProviderTokens(id, update) {
      const updated = await store.updateProviderTokens(id, update);
      await ended([{ id, user_id: '' }]);
      return updated;
    },
    async deleteByTokenHash(tokenHash) {
      const row = await store.deleteByTokenHash(tokenHash);
      rows.delete(tokenHash);
      if (row) await ended([row]);
      return row;
    },
    async deleteById(id, userId) {
      const row = await store.deleteById(id, userId);
      if (row) await ended([row]);
      return row;
    },
    deleteForUser: endingAll(store.deleteForUser.bind(store)),
    deleteByProviderSid: endingAll(store.deleteByProviderSid.bind(store)),
    deleteByProviderSubject: endingAll(store.deleteByProviderSubject.bind(store)),
    evictOldest: endingAll(store.evictOldest.bind(store)),
    invalidateSession,
    invalidateUser: (userId) => dropWhere((row) => row.user_id === userId),
    clear: () => dropWhere(() => true),
  };
}
