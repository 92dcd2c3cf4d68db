import { createPublicKey, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import type { Clock, Logger } from '../shared/index.js';

export interface RemoteJwksOptions {
  clock: Clock;
  logger: Logger;
  /** Per fetch (default 5 s). */
  timeoutMs?: number;
  /** Largest JWKS document accepted (default 256 KiB). */
  maxBytes?: number;
  /** Keys are refetched after this long (default 10 min). */
  ttlMs?: number;
  /** An unknown kid triggers at most one fetch per URL in this window (default 60 s). */
  cooldownMs?: number;
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

interface Entry {
  keys: Map<string, KeyObject>;
  fetchedAt: number;
  lastAttempt: number;
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

/**
 * Trusted issuers' JWKS (e.g. OneLogin's /certs), fetched with a timeout and a size limit, cached, and refetched for
 * an unknown kid at most once per cool-down, so forged kids cannot make Gatehouse fetch on every request.
 */
export function createRemoteJwks(options: RemoteJwksOptions) {
  const timeoutMs = options.timeoutMs ?? 5000;
  const maxBytes = options.maxBytes ?? 256 * 1024;
  const ttlMs = options.ttlMs ?? 10 * 60_000;
  const cooldownMs = options.cooldownMs ?? 60_000;
  const doFetch = options.fetch ?? ((url: string, init: RequestInit) => fetch(url, init));
  const entries = new Map<string, Entry>();

  async function refresh(url: string, entry: Entry): Promise<void> {
    entry.lastAttempt = options.clock.now();
    try {
      const res = await doFetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error', headers: { accept: 'application/json' } });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const doc = JSON.parse(await readLimited(res, maxBytes)) as { keys?: unknown };
      if (!Array.isArray(doc.keys)) throw new Error('no "keys" array');
      const keys = new Map<string, KeyObject>();
      for (const jwk of doc.keys as JWK[]) {
        // Only RSA signature keys with a kid; private parts (d) are never imported even if a broken JWKS has them.
        if (jwk.kty !== 'RSA' || typeof jwk.kid !== 'string' || (jwk.use && jwk.use !== 'sig') || !jwk.n || !jwk.e) continue;
        try {
          const key = createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' });
          // RS256 with less than 2048 bits is refused anyway (jose); a malformed modulus decodes to a tiny "key".
          if ((key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048) keys.set(jwk.kid, key);
        } catch {
          // One malformed key must not hide the issuer's other, good keys.
        }
      }
      entry.keys = keys;
      entry.fetchedAt = options.clock.now();
    } catch (error) {
      options.logger.warn({ url, err: (error as Error).message }, 'JWKS fetch failed; keeping the keys already known');
    }
  }

  return {
    /** The key for `kid` at `url`, or undefined (unknown kid, or the issuer unreachable with nothing cached). */
    async getKey(url: string, kid: string): Promise<KeyObject | undefined> {
      let entry = entries.get(url);
      if (!entry) {
        entry = { keys: new Map(), fetchedAt: 0, lastAttempt: -Infinity };
        entries.set(url, entry);
      }
      const now = options.clock.now();
      const stale = now - entry.fetchedAt > ttlMs;
      const missing = !entry.keys.has(kid);
      if ((stale || missing) && now - entry.lastAttempt >= cooldownMs) {
        entry.inflight ??= refresh(url, entry).finally(() => {
          if (entry) delete entry.inflight;
        });
      }
      if (entry.inflight) await entry.inflight;
      return entry.keys.get(kid);
    },
    /** Known kids per URL (diagnostics, token inspect). */
    known(): Record<string, string[]> {
      return Object.fromEntries([...entries].map(([url, e]) => [url, [...e.keys.keys()]]));
    },
  };
}

export type RemoteJwks = ReturnType<typeof createRemoteJwks>;
