import type { AuthMethod, Permission, Principal } from '../authz/index.js';

export interface CachedVerification {
  userId: string;
  method: AuthMethod;
  jti: string | null;
  /** The password sign-in a user access token belongs to (its `sid`), so ending the sign-in drops the entry. */
  signInId: string | null;
  scopes: readonly Permission[] | null;
  /** Cache entry valid until (ms): never beyond the token's exp. */
  until: number;
  /** The principal built at verification, reusable while the user's principal-cache marker is unchanged. */
  principal: Principal;
  marker: object | undefined;
}

interface Slot {
  value: CachedVerification;
  /** Set on every hit, cleared when eviction passes over it (CLOCK, a cheap approximation of LRU). */
  used: boolean;
}

/**
 * Verified bearer tokens by SHA-256 of the token, so steady-state requests skip RSA and the database. Keyed by the
 * hash, not the token, so a heap dump does not hold usable tokens. Bounded: when full, the oldest entry not used since
 * eviction last passed over it goes first (second-chance LRU). A hit only sets a flag: moving the entry (Map delete +
 * set) costs about a microsecond in a 20,000-entry Map, as much as the whole cached check. Revocation and user changes
 * remove entries on every instance through the change feed. Entries never outlive `until` (the token's exp at most).
 */
export function createVerifiedCache(maxEntries = 20_000, onLookup?: (hit: boolean) => void) {
  const entries = new Map<string, Slot>();
  // Bumped by every invalidation. A verification that started before a revocation must not be cached after it (it read
  // the token record before the revocation), or the revoked token would keep working from the cache.
  let generation = 0;

  function evictOne(): void {
    for (;;) {
      const oldest = entries.entries().next();
      if (oldest.done) return;
      const [hash, slot] = oldest.value;
      entries.delete(hash);
      if (!slot.used) return;
      slot.used = false;
      entries.set(hash, slot);
    }
  }

  return {
    /** Take this before verifying; pass it to set(). */
    generation(): number {
      return generation;
    },
    get(hash: string, now: number): CachedVerification | undefined {
      const slot = entries.get(hash);
      const live = slot !== undefined && slot.value.until > now;
      onLookup?.(live);
      if (!slot) return undefined;
      if (!live) {
        entries.delete(hash);
        return undefined;
      }
      slot.used = true;
      return slot.value;
    },
    /** Caches a verification, unless anything was invalidated since `since` (a generation() taken before verifying). */
    set(hash: string, value: CachedVerification, since?: number): void {
      if (since !== undefined && since !== generation) return;
      entries.delete(hash);
      while (entries.size >= maxEntries) evictOne();
      entries.set(hash, { value, used: false });
    },
    invalidateToken(jti: string): void {
      generation += 1;
      for (const [hash, slot] of entries) if (slot.value.jti === jti) entries.delete(hash);
    },
    invalidateSignIn(signInId: string): void {
      generation += 1;
      for (const [hash, slot] of entries) if (slot.value.signInId === signInId) entries.delete(hash);
    },
    invalidateUser(userId: string): void {
      generation += 1;
      for (const [hash, slot] of entries) if (slot.value.userId === userId) entries.delete(hash);
    },
    clear(): void {
      generation += 1;
      entries.clear();
    },
    get size(): number {
      return entries.size;
    },
  };
}

export type VerifiedCache = ReturnType<typeof createVerifiedCache>;
