import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK } from 'jose';
import { GatehouseError } from '../errors/index.js';
import { keyFingerprint } from './known-keys.js';

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

// DER is an ASN.1 SEQUENCE (first byte 0x30); anything else is read as PEM, which may carry text before its BEGIN line
// (openssl's "Bag Attributes"), so a fixed-size prefix check would misread such files.
const isPem = (data: Buffer) => data[0] !== 0x30;

function readKeyFile(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new GatehouseError('KEYS_INVALID', `The ${what} file ${path} cannot be read.`, { cause: error });
  }
}

/** OpenMetadata's PKCS#8 DER (private_key.der) or PEM. */
export function loadPrivateKey(path: string): KeyObject {
  const data = readKeyFile(path, 'private key');
  try {
    const key = isPem(data) ? createPrivateKey(data) : createPrivateKey({ key: data, format: 'der', type: 'pkcs8' });
    if (key.asymmetricKeyType !== 'rsa') throw new Error(`not RSA but ${key.asymmetricKeyType}`);
    return key;
  } catch (error) {
    throw new GatehouseError('KEYS_INVALID', `${path} is not an RSA private key in PKCS#8 DER or PEM.`, { cause: error });
  }
}

/** OpenMetadata's X.509 SubjectPublicKeyInfo DER (public_key.der) or PEM. */
export function loadPublicKey(path: string): KeyObject {
  const data = readKeyFile(path, 'public key');
  try {
    const key = isPem(data) ? createPublicKey(data) : createPublicKey({ key: data, format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'rsa') throw new Error(`not RSA but ${key.asymmetricKeyType}`);
    return key;
  } catch (error) {
    throw new GatehouseError('KEYS_INVALID', `${path} is not an RSA public key in X.509 DER or PEM.`, { cause: error });
  }
}

export function keyBits(key: KeyObject): number {
  return key.asymmetricKeyDetails?.modulusLength ?? 0;
}

/** True when both halves belong to one key pair (same modulus and exponent). */
export async function halvesMatch(privateKey: KeyObject, publicKey: KeyObject): Promise<boolean> {
  const [a, b] = await Promise.all([exportJWK(createPublicKey(privateKey)), exportJWK(publicKey)]);
  return a.n === b.n && a.e === b.e;
}

/** RFC 7638 thumbprint: a stable kid when JWT_KEY_ID is not set (the same value as keyFingerprint). */
export function thumbprintKid(publicKey: KeyObject): Promise<string> {
  return keyFingerprint(publicKey);
}

export function generateRsaKeyPair(bits = 2048): KeyPair {
  if (bits < 2048) throw new GatehouseError('KEYS_INVALID', 'Keys must have at least 2048 bits.');
  return generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: 0x10001 });
}

/** Writes private_key.der (PKCS#8), public_key.der (X.509), and the same as PEM; private files get mode 0600. */
export function writeKeyFiles(dir: string, pair: KeyPair): string[] {
  mkdirSync(dir, { recursive: true });
  const files: [string, string | Buffer, boolean][] = [
    ['private_key.der', pair.privateKey.export({ format: 'der', type: 'pkcs8' }), true],
    ['public_key.der', pair.publicKey.export({ format: 'der', type: 'spki' }), false],
    ['private_key.pem', pair.privateKey.export({ format: 'pem', type: 'pkcs8' }), true],
    ['public_key.pem', pair.publicKey.export({ format: 'pem', type: 'spki' }), false],
  ];
  return files.map(([name, data, secret]) => {
    const path = join(dir, name);
    writeFileSync(path, data, { mode: secret ? 0o600 : 0o644, flag: 'wx' });
    if (secret) chmodSync(path, 0o600);
    return path;
  });
}
