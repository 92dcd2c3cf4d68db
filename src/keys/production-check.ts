import { createPublicKey, type KeyObject } from 'node:crypto';
import { exportJWK, type JWK } from 'jose';
import { halvesMatch, keyBits, loadPrivateKey, loadPublicKey } from './key-files.js';
import { keyFingerprint, PUBLISHED_KEY_THUMBPRINTS } from './known-keys.js';

/** Smallest RSA modulus production accepts (NIST SP 800-57: 2048 bits until 2030). */
export const MIN_PRODUCTION_BITS = 2048;

export type KeyProblemKind = 'missing' | 'unreadable' | 'mismatch' | 'conflict' | 'development' | 'weak' | 'published';

/** One reason production refuses the keys, with the fix in `message`. */
export interface KeyProblem {
  kind: KeyProblemKind;
  /** The key concerned (a kid or a file path), when there is one. */
  subject: string | null;
  message: string;
}

/** The parts of a stored key the check needs (a signing_keys row fits). */
export interface StoredKeyFacts {
  kid: string;
  status: string;
  source: string;
  bits: number;
  public_jwk: string;
}

export interface KeyCheckInput {
  /** RSA_PRIVATE_KEY_FILE_PATH / RSA_PUBLIC_KEY_FILE_PATH; null when not configured. */
  privateKeyFile: string | null;
  publicKeyFile: string | null;
  /** JWT_KEY_ID: the kid the file key is stored under (default: its thumbprint). */
  keyId?: string | null;
  /** Stored keys (any status; only active and retiring ones matter: they still verify). */
  keys: readonly StoredKeyFacts[];
}

const GENERATE = 'run `gatehouse keys generate --out <dir>` and point RSA_PRIVATE_KEY_FILE_PATH, RSA_PUBLIC_KEY_FILE_PATH and JWT_KEY_ID at the new files';

/**
 * Why the file key cannot be stored under `kid`, or null: the kid was retired, or names another key. The key ring
 * refuses to start on it; the start-up checks report it first.
 */
export function fileKeyConflict(kid: string, publicJwk: string, stored: StoredKeyFacts | undefined): string | null {
  if (stored?.status === 'retired') return `The key ${kid} was retired; generate a new pair for JWT_KEY_ID.`;
  if (stored && stored.public_jwk !== publicJwk) return `JWT_KEY_ID ${kid} is already used by another key; choose a new key id.`;
  return null;
}

async function checkFiles(input: KeyCheckInput & { privateKeyFile: string }, problems: KeyProblem[]): Promise<string | null> {
  const { privateKeyFile: privateFile, publicKeyFile: publicFile } = input;
  let privateKey: KeyObject;
  let publicKey: KeyObject;
  try {
    privateKey = loadPrivateKey(privateFile);
    publicKey = publicFile ? loadPublicKey(publicFile) : createPublicKey(privateKey);
  } catch (error) {
    problems.push({ kind: 'unreadable', subject: privateFile, message: `${(error as Error).message} Fix the path or the file, or ${GENERATE}.` });
    return null;
  }
  if (!(await halvesMatch(privateKey, publicKey))) {
    problems.push({
      kind: 'mismatch', subject: publicFile,
      message: `RSA_PUBLIC_KEY_FILE_PATH (${publicFile}) is not the public half of RSA_PRIVATE_KEY_FILE_PATH (${privateFile}): tokens would not verify. Point both settings at files of one pair (moduli differ).`,
    });
  }
  const bits = keyBits(privateKey);
  if (bits < MIN_PRODUCTION_BITS) {
    problems.push({ kind: 'weak', subject: privateFile, message: `The key in ${privateFile} has ${bits} bits; production needs ${MIN_PRODUCTION_BITS} or more: ${GENERATE}.` });
  }
  const fingerprint = await keyFingerprint(createPublicKey(privateKey));
  const kid = input.keyId ?? fingerprint;
  const conflict = fileKeyConflict(kid, JSON.stringify(await exportJWK(publicKey)), input.keys.find((k) => k.kid === kid));
  if (conflict) problems.push({ kind: 'conflict', subject: kid, message: conflict });
  if (PUBLISHED_KEY_THUMBPRINTS.has(fingerprint)) {
    problems.push({ kind: 'published', subject: privateFile, message: `The key in ${privateFile} is a published test or example key (anyone can sign with it): ${GENERATE}.` });
  }
  return fingerprint;
}

/**
 * Everything production refuses about the signing keys: no key, unreadable or mismatched key files, a JWT_KEY_ID that
 * was retired or names another stored key, development keys,
 * keys under 2048 bits, and published (fixture or example) keys - each message says how to fix it. Never throws, so
 * `config check`, the diagnostics page and the start-up guard can all list every problem at once.
 */
export async function checkProductionKeys(input: KeyCheckInput): Promise<KeyProblem[]> {
  const problems: KeyProblem[] = [];
  const fileFingerprint = input.privateKeyFile ? await checkFiles({ ...input, privateKeyFile: input.privateKeyFile }, problems) : null;
  const live = input.keys.filter((k) => k.status === 'active' || k.status === 'retiring');
  if (!input.privateKeyFile && !live.some((k) => k.status === 'active')) {
    problems.push({ kind: 'missing', subject: null, message: `No signing key: ${GENERATE}.` });
  }
  for (const key of live) {
    const fingerprint = await keyFingerprint(JSON.parse(key.public_jwk) as JWK);
    // The configured file key was checked above; do not report it twice.
    if (fingerprint === fileFingerprint) continue;
    if (key.source === 'development') {
      problems.push({
        kind: 'development', subject: key.kid,
        message: `Signing key ${key.kid} is a development key (its private half is protected only by the development encryption key): configure your own key (${GENERATE}), then run \`gatehouse keys retire ${key.kid}\`.`,
      });
    }
    if (key.bits < MIN_PRODUCTION_BITS) {
      problems.push({ kind: 'weak', subject: key.kid, message: `Signing key ${key.kid} has ${key.bits} bits: ${GENERATE}, then retire ${key.kid}.` });
    }
    if (PUBLISHED_KEY_THUMBPRINTS.has(fingerprint)) {
      problems.push({ kind: 'published', subject: key.kid, message: `Signing key ${key.kid} is a published test or example key: ${GENERATE}, then retire ${key.kid}.` });
    }
  }
  return problems;
}
