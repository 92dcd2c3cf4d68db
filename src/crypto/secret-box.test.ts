import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret, parseEncryptionKey } from './secret-box.js';

const key = randomBytes(32);

describe('secret box (AES-256-GCM)', () => {
  it('round-trips and never repeats a ciphertext', () => {
    const a = encryptSecret('refresh-token-value', { key, aad: 'session:1:refresh_token' });
    const b = encryptSecret('refresh-token-value', { key, aad: 'session:1:refresh_token' });
    expect(a).not.toBe(b);
    expect(a).not.toContain('refresh-token-value');
    expect(decryptSecret(a, { key, aad: 'session:1:refresh_token' })).toBe('refresh-token-value');
  });

  it('refuses a tampered box, another row (aad), another key or garbage', () => {
    const box = encryptSecret('secret', { key, aad: 'session:1:refresh_token' });
    const parts = box.split('.');
    const data = Buffer.from(parts[3] ?? '', 'base64url');
    data[0] = (data[0] ?? 0) ^ 1;
    const tampered = [...parts.slice(0, 3), data.toString('base64url'), parts[4]].join('.');
    expect(decryptSecret(tampered, { key, aad: 'session:1:refresh_token' })).toBeUndefined();
    expect(decryptSecret(box, { key, aad: 'session:2:refresh_token' })).toBeUndefined();
    expect(decryptSecret(box, { key, aad: 'session:1:id_token' })).toBeUndefined();
    expect(decryptSecret(box, { key: randomBytes(32), aad: 'session:1:refresh_token' })).toBeUndefined();
    for (const junk of ['', 'v1', 'v2.a.b.c.d', 'v1.x.y.z.w', `${parts.slice(0, 4).join('.')}.`]) {
      expect(decryptSecret(junk, { key })).toBeUndefined();
    }
  });

  it('opens boxes of a previous key during a key change', () => {
    const old = randomBytes(32);
    const box = encryptSecret('secret', { key: old });
    expect(decryptSecret(box, { key })).toBeUndefined();
    expect(decryptSecret(box, { key, previousKeys: [old] })).toBe('secret');
  });

  it('parses a base64 key of exactly 32 bytes only', () => {
    const text = key.toString('base64');
    expect(parseEncryptionKey(text).equals(key)).toBe(true);
    expect(parseEncryptionKey(key.toString('base64url')).equals(key)).toBe(true);
    for (const bad of ['', 'short', randomBytes(16).toString('base64'), randomBytes(33).toString('base64'), `${text}!`]) {
      expect(() => parseEncryptionKey(bad)).toThrow();
    }
    expect(() => encryptSecret('x', { key: randomBytes(16) })).toThrow();
  });
});
