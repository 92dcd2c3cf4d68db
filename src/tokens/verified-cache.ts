import type { AuthMethod, Permission, Principal } from '../users/index.js';

export interface CachedVerification {
  userId: string;
  method: AuthMethod;
  jti: string | null;
  scopes: readonly Permission[] | null;
  /** Cache entry valid until (ms): never beyond the token's exp. */
  until: number;
  /** The principal built at verification, reusable while the user's principal-cache marker is unchanged. */
  principal: Principal;
  marker: object | undefined;
}

/**
 * Verified bearer tokens by SHA-256 of the token, so steady-state requests skip RSA and the database. Bounded (oldest
 * entries go first); revocation and user changes remove entries on every instance through the change feed.
 */
export function createVerifiedCache(maxEntries = 20_000) {
  const entries = new Map<string, CachedVerification>();
  return {
    get(hash: string, now: number): CachedVerification | undefined {
      const hit = entries.get(hash);
      if (!hit) return undefined;
      if (hit.until <= now) {
        entries.delete(hash);
        return undefined;
      }
      return hit;
    },
    set(hash: string, value: CachedVerification): void {
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(hash, value);
    },
    invalidateToken(jti: string): void {
      for (const [hash, value] of entries) if (value.jti === jti) entries.delete(hash);
    },
    invalidateUser(userId: string): void {
      for (const [hash, value] of entries) if (value.userId === userId) entries.delete(hash);
    },
    clear(): void {
      entries.clear();
    },
    get size(): number {
      return entries.size;
    },
  };
}

export type VerifiedCache = ReturnType<typeof createVerifiedCache>;
