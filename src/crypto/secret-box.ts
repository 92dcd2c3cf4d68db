import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for provider secrets at rest (refresh tokens, ID tokens kept for logout). A database dump alone then
 * does not yield tokens that work at the provider.
 *
 * Box format: `v1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url parts). keyId is a short hash of the key, so a box made
 * with an older key is recognised after a key change and decrypted with `previousKeys`.
 */
export interface SecretKeyOptions {
  /** 32-byte key (see parseEncryptionKey). */
  key: Buffer;
  /** Older keys still accepted for decryption during a key change. */
  previousKeys?: readonly Buffer[];
  /**
   * Additional authenticated data: binds the box to its row (e.g. the session's public id), so a ciphertext copied
   * into another row does not decrypt.
   */
  aad?: string;
}

const VERSION = 'v1';

/** Decodes GATEHOUSE_ENCRYPTION_KEY (base64 or base64url of 32 random bytes). Throws on anything else. */
export function parseEncryptionKey(value: string): Buffer {
  const trimmed = value.trim();
  const key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== 32 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    throw new Error('The encryption key must be base64 of exactly 32 random bytes (e.g. `openssl rand -base64 32`).');
  }
  return key;
}

function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 8);
}

function assertKey(key: Buffer): void {
  if (key.length !== 32) throw new Error('AES-256-GCM needs a 32-byte key');
}

/** Encrypts a secret; every call uses a fresh random 96-bit IV. */
export function encryptSecret(plaintext: string, options: SecretKeyOptions): string {
  assertKey(options.key);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', options.key, iv);
  if (options.aad !== undefined) cipher.setAAD(Buffer.from(options.aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, keyId(options.key), iv.toString('base64url'), ciphertext.toString('base64url'), tag.toString('base64url')].join('.');
}

/**
 * Decrypts a box made by encryptSecret. Returns undefined when the box is malformed, was made with an unknown key,
 * or fails authentication (tampered, or moved to another row): the caller treats the secret as absent.
 */
export function decryptSecret(box: string, options: SecretKeyOptions): string | undefined {
  const parts = box.split('.');
  if (parts.length !== 5 || parts[0] !== VERSION) return undefined;
  const [, id, ivText, dataText, tagText] = parts as [string, string, string, string, string];
  const key = [options.key, ...(options.previousKeys ?? [])].find((candidate) => keyId(candidate) === id);
  if (!key) return undefined;
  try {
    const iv = Buffer.from(ivText, 'base64url');
    const tag = Buffer.from(tagText, 'base64url');
    if (iv.length !== 12 || tag.length !== 16) return undefined;
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
    if (options.aad !== undefined) decipher.setAAD(Buffer.from(options.aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(dataText, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
