import type { KeyObject } from 'node:crypto';
import { isAcceptableEndpoint, type Clock, type Logger } from '../shared/index.js';
import { importKeys, keyFitsAlgorithm, type ImportedKey } from './jwk-import.js';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface RemoteJwksOptions {
  clock: Clock;
  /** Fetch failures are logged here (warn); the keys already known are kept. */
  logger: Logger;
  /** Only keys usable with one of these algorithms are imported (src/shared/algorithms.ts). */
  algorithms: readonly string[];
  /** Per fetch (default 5 s). */
  timeoutMs?: number;
  /** Largest JWKS document accepted (default 256 KiB). */
  maxBytes?: number;
  /** Keys are refetched after this long (default 10 min). */
  ttlMs?: number;
  /** An unknown kid, or a stale set, triggers at most one fetch per URL in this window (default 60 s). */
  cooldownMs?: number;
  fetch?: FetchLike;
}

/**
 * The stricter of the two caches this one replaced: 5 s per fetch, 256 KiB read as a stream, keys kept 10 minutes,
 * an unknown kid refetched at most once a minute.
 */
export const JWKS_DEFAULTS = { timeoutMs: 5000, maxBytes: 256 * 1024, ttlMs: 10 * 60_000, cooldownMs: 60_000 } as const;

/** What a caller may want to know about one URL: fetches made, whether keys were ever loaded, the last failure. */
export interface JwksStatus {
  fetches: number;
  loaded: boolean;
  error: string | undefined;
}

interface Entry {
  keys: ImportedKey[];
  fetchedAt: number;
  lastAttempt: number;
  fetches: number;
  loaded: boolean;
  error: string | undefined;
  inflight?: Promise<void>;
}

async function readLimited(res: Response, maxBytes: number): Promise<string> {
  // A declared length over the limit is refused before reading; an undeclared or lying one is cut off while reading.
  if (Number(res.headers.get('content-length') ?? 0) > maxBytes) throw new Error(`JWKS larger than ${maxBytes} bytes`);
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new Error(`JWKS larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The key for a JWS header: by kid when it has one; without a kid only when exactly one key fits the algorithm. */
function select(keys: readonly ImportedKey[], header: { kid?: string | undefined; alg?: string | undefined }): KeyObject | undefined {
  const fits = keys.filter((k) => (header.kid === undefined || k.kid === header.kid)
    && (header.alg === undefined || ((k.alg === undefined || k.alg === header.alg) && keyFitsAlgorithm(k.key, header.alg))));
  if (header.kid === undefined && fits.length !== 1) return undefined;
  return fits[0]?.key;
}

/**
 * The one JWKS cache, for providers' ID and logout tokens and for trusted issuers' bearer tokens. Each URL's keys are
 * fetched over https (plain http only on loopback, src/shared/loopback.ts) with a timeout, a size limit and no
 * redirects, cached for a TTL, and refetched for an unknown kid at most once per cool-down (counted from the last
 * attempt, failed or not), so forged kids cannot make Gatehouse fetch on every request. A failed fetch keeps the keys
 * already known.
 */
export function createRemoteJwks(options: RemoteJwksOptions) {
  const { timeoutMs, maxBytes, ttlMs, cooldownMs } = { ...JWKS_DEFAULTS, ...options };
  const doFetch: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
  const entries = new Map<string, Entry>();

  async function refresh(url: string, entry: Entry): Promise<void> {
    entry.lastAttempt = options.clock.now();
    entry.fetches += 1;
    try {
      // Configuration already applies the production rule; this cache refuses anything even development would not allow.
      if (!isAcceptableEndpoint(url, false)) throw new Error('JWKS URL is not https (plain http only on loopback)');
      const res = await doFetch(url, {
        signal: AbortSignal.timeout(timeoutMs), redirect: 'error', headers: { accept: 'application/json, application/jwk-set+json' },
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const doc = JSON.parse(await readLimited(res, maxBytes)) as { keys?: unknown } | null;
      if (!Array.isArray(doc?.keys)) throw new Error('no "keys" array');
      entry.keys = importKeys(doc.keys, options.algorithms);
      entry.fetchedAt = options.clock.now();
      entry.loaded = true;
      entry.error = undefined;
    } catch (error) {
      entry.error = error instanceof Error ? error.message : String(error);
      options.logger.warn({ url, err: entry.error }, 'JWKS fetch failed; keeping the keys already known');
    }
  }

  function entryFor(url: string): Entry {
    let entry = entries.get(url);
    if (!entry) {
      entry = { keys: [], fetchedAt: 0, lastAttempt: -Infinity, fetches: 0, loaded: false, error: undefined };
      entries.set(url, entry);
    }
    return entry;
  }

  async function find(url: string, header: { kid?: string | undefined; alg?: string | undefined }): Promise<KeyObject | undefined> {
    const entry = entryFor(url);
    const now = options.clock.now();
    const stale = !entry.loaded || now - entry.fetchedAt >= ttlMs;
    if ((stale || !select(entry.keys, header)) && now - entry.lastAttempt >= cooldownMs) {
      entry.inflight ??= refresh(url, entry).finally(() => {
        delete entry.inflight;
      });
    }
    if (entry.inflight) await entry.inflight;
    return select(entry.keys, header);
  }

  return {
    /** The key for `kid` at `url`, or undefined (unknown kid, or the issuer unreachable with nothing cached). */
    getKey: (url: string, kid: string): Promise<KeyObject | undefined> => find(url, { kid }),
    /** The key for a JWS header at `url` (kid and alg; see select), or undefined. */
    keyFor: (url: string, header: { kid?: string | undefined; alg?: string | undefined }): Promise<KeyObject | undefined> => find(url, header),
    /** Known kids per URL (diagnostics, token inspect). */
    known(): Record<string, string[]> {
      return Object.fromEntries([...entries].map(([url, e]) => [url, e.keys.flatMap((k) => (k.kid === undefined ? [] : [k.kid]))]));
    },
    status(url: string): JwksStatus {
      const e = entries.get(url);
      return { fetches: e?.fetches ?? 0, loaded: e?.loaded ?? false, error: e?.error };
    },
  };
}

export type RemoteJwks = ReturnType<typeof createRemoteJwks>;
