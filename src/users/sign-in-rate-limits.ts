import { GatehouseError } from '../errors/index.js';
import type { Clock } from '../shared/index.js';

export interface SignInRateLimitOptions {
  /** Password sign-ins per minute from one client address; 0 = no limit. */
  perIpPerMinute: number;
  /** Password sign-ins per minute for one login name (known or not); 0 = no limit. */
  perAccountPerMinute: number;
  clock: Clock;
  /** Addresses and names remembered per kind; the least recently seen are forgotten first. */
  maxKeys?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets per client address and per login name: a burst of `limit` sign-ins, then `limit` per minute. They
 * are checked before any hashing or database work, so a refused sign-in costs next to nothing. Per instance (in
 * memory): with N instances behind a balancer a client gets up to N times the limit; the lockout (shared through the
 * database) stays the bound on password guesses.
 */
export function createSignInRateLimits(options: SignInRateLimitOptions) {
  const maxKeys = options.maxKeys ?? 10_000;
  const kinds = [
    { limit: options.perIpPerMinute, buckets: new Map<string, Bucket>(), what: 'from your address' },
    { limit: options.perAccountPerMinute, buckets: new Map<string, Bucket>(), what: 'for this account' },
  ];

  /** The bucket refilled to now (not yet stored), and its limit. */
  function current(kind: (typeof kinds)[number], key: string, now: number): Bucket {
    const bucket = kind.buckets.get(key);
    if (!bucket) return { tokens: kind.limit, at: now };
    const refilled = bucket.tokens + ((now - bucket.at) * kind.limit) / 60_000;
    return { tokens: Math.min(kind.limit, refilled), at: now };
  }

  function store(kind: (typeof kinds)[number], key: string, bucket: Bucket): void {
    // Re-inserting keeps the Map in least-recently-seen order, so eviction drops the stalest key.
    kind.buckets.delete(key);
    kind.buckets.set(key, bucket);
    if (kind.buckets.size > maxKeys) {
      const oldest = kind.buckets.keys().next().value;
      if (oldest !== undefined) kind.buckets.delete(oldest);
    }
  }

  return {
    /**
     * Takes one sign-in from the client's and the account's allowance, or throws AUTH_SIGN_IN_RATE_LIMITED with the
     * seconds until both allow one. Nothing is taken when either refuses.
     */
    take(ip: string | null, loginKey: string): void {
      const now = options.clock.now();
      const keys = [ip ?? '(unknown address)', loginKey];
      const checked = kinds.map((kind, i) => ({ kind, key: keys[i] as string, bucket: kind.limit > 0 ? current(kind, keys[i] as string, now) : undefined }));
      const short = checked.filter((c) => c.bucket && c.bucket.tokens < 1);
      if (short.length > 0) {
        // Remembered as just seen (nothing taken), so a client that keeps knocking is the last to be forgotten.
        for (const c of checked) if (c.bucket) store(c.kind, c.key, c.bucket);
        const waitMs = Math.max(...short.map((c) => ((1 - (c.bucket as Bucket).tokens) * 60_000) / c.kind.limit));
        throw new GatehouseError('AUTH_SIGN_IN_RATE_LIMITED', `Too many sign-ins ${short.map((c) => c.kind.what).join(' and ')}.`, {
          internal: { retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)), limits: short.map((c) => c.kind.what) },
        });
      }
      for (const c of checked) if (c.bucket) store(c.kind, c.key, { tokens: c.bucket.tokens - 1, at: now });
    },
  };
}

export type SignInRateLimits = ReturnType<typeof createSignInRateLimits>;
