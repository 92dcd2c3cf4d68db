import { createHash, hash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/** A random secret of `bytes` bytes (default 32 = 256 bits), base64url, for session ids and refresh tokens. */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function newId(): string {
  return randomUUID();
}

/** SHA-256 hex: how secrets are stored, so a database leak does not leak usable credentials. */
export function sha256Hex(value: string): string {
  // One-shot crypto.hash (Node >= 20.12): no Hash object with a native handle per call. On the bearer fast path the
  // per-request Hash objects cost more in garbage collection than the hashing itself.
  return hash('sha256', value, 'hex');
}

/** Constant-time string comparison (hashes first so lengths do not leak). */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}

/** A readable one-time password (no look-alike characters), ~120 bits. */
export function randomPassword(length = 24): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const out: string[] = [];
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // Rejection sampling keeps every character equally likely.
      if (byte < alphabet.length * Math.floor(256 / alphabet.length) && out.length < length) {
        out.push(alphabet[byte % alphabet.length] ?? '');
      }
    }
  }
  return out.join('');
}
