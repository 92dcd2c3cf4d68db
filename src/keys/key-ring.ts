import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { exportJWK, type JWK } from 'jose';
import { decryptSecret, encryptSecret } from '../crypto/index.js';
import { GatehouseError } from '../errors/index.js';
import { OWN_SIGNING_ALGORITHM, type Clock, type Logger } from '../shared/index.js';
import type { SigningKeyRow, SigningKeyStore } from '../storage/index.js';
import { generateRsaKeyPair, halvesMatch, keyBits, loadPrivateKey, loadPublicKey, thumbprintKid } from './key-files.js';
import { keyFingerprint } from './known-keys.js';
import { checkProductionKeys, fileKeyConflict } from './production-check.js';

export interface KeyRingOptions {
  store: SigningKeyStore;
  clock: Clock;
  logger: Logger;
  encryptionKey: Buffer;
  production: boolean;
  privateKeyFile: string | null;
  publicKeyFile: string | null;
  keyId: string | null;
  /** Tolerance added before a retiring key's last token counts as expired. */
  clockSkewSeconds: number;
  /** Size of keys made by rotate() and in development. */
  generatedBits?: number;
  /**
   * A retiring key retires by itself only after it has been retiring this long (default 300 s), even when it signed
   * nothing: an instance that has not yet heard of a rotation may still sign with it for a moment.
   */
  retireGraceSeconds?: number;
}

export interface KeyInfo {
  kid: string;
  status: string;
  source: string;
  bits: number;
  /** RFC 7638 thumbprint of the public key: identifies a file key whatever JWT_KEY_ID says. */
  fingerprint: string;
  development: boolean;
  createdAt: string;
  activatedAt: string | null;
  retiringSince: string | null;
  retiredAt: string | null;
  /** When the last token this key signed expires: ISO time, "never" (unlimited), or null (none signed). */
  lastTokenExpiresAt: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const aad = (kid: string) => `signing-key:${kid}`;

/**
 * Gatehouse's signing keys. Exactly one active key signs (only after it is stored); retiring keys still verify and are
 * published until the last token they signed has expired (then they retire by themselves) or an admin retires them.
 */
export function createKeyRing(options: KeyRingOptions) {
  const { store, clock, logger } = options;
  const graceMs = (options.retireGraceSeconds ?? 300) * 1000;
  let active: { kid: string; key: KeyObject } | undefined;
  let verifiers = new Map<string, KeyObject>();
  let published: JWK[] = [];
  let lastReload = 0;

  function privateOf(row: SigningKeyRow): KeyObject | undefined {
    if (!row.private_key_enc) return undefined;
    const pem = decryptSecret(row.private_key_enc, { key: options.encryptionKey, previousKeys: [], aad: aad(row.kid) });
    if (!pem) throw new GatehouseError('KEYS_INVALID', `The stored private key ${row.kid} cannot be decrypted: GATEHOUSE_ENCRYPTION_KEY changed?`);
    return createPrivateKey(pem);
  }

  async function storeGenerated(source: 'generated' | 'development'): Promise<string> {
    const pair = generateRsaKeyPair(options.generatedBits ?? 2048);
    const kid = await thumbprintKid(pair.publicKey);
    const pem = pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    await store.insert({
      kid, status: 'retiring', source, public_jwk: JSON.stringify(await exportJWK(pair.publicKey)),
      private_key_enc: encryptSecret(pem, { key: options.encryptionKey, previousKeys: [], aad: aad(kid) }),
      bits: keyBits(pair.publicKey), created_at: clock.now(), activated_at: null, retiring_since: clock.now(), retired_at: null,
      last_token_expires_at: null,
    });
    // Stored first, activated second: a key never signs before every instance can find it to verify.
    await store.activate(kid, clock.now());
    return kid;
  }

  async function useFileKey(): Promise<void> {
    const privateKey = loadPrivateKey(options.privateKeyFile as string);
    const publicKey = options.publicKeyFile ? loadPublicKey(options.publicKeyFile) : createPublicKey(privateKey);
    if (!(await halvesMatch(privateKey, publicKey))) {
      throw new GatehouseError('KEYS_INVALID', `RSA_PUBLIC_KEY_FILE_PATH (${options.publicKeyFile}) does not belong to RSA_PRIVATE_KEY_FILE_PATH (${options.privateKeyFile}).`);
    }
    const kid = options.keyId ?? (await thumbprintKid(publicKey));
    const row = await store.find(kid);
    const conflict = fileKeyConflict(kid, JSON.stringify(await exportJWK(publicKey)), row);
    if (conflict) throw new GatehouseError('KEYS_INVALID', conflict);
    if (!row) {
      await store.insert({
        kid, status: 'retiring', source: 'file', public_jwk: JSON.stringify(await exportJWK(publicKey)), private_key_enc: null,
        bits: keyBits(publicKey), created_at: clock.now(), activated_at: null, retiring_since: clock.now(), retired_at: null, last_token_expires_at: null,
      });
    }
    if (row?.status !== 'active') await store.activate(kid, clock.now());
    active = { kid, key: privateKey };
  }

  async function reload(): Promise<void> {
    lastReload = clock.now();
    const rows = await store.list();
    const now = clock.now();
    for (const row of rows) {
      const mark = row.last_token_expires_at;
      // A retiring key whose tokens have all expired retires by itself; one that signed an unlimited token (-1) never does.
      const tokensDead = mark !== -1 && (mark === null || mark + options.clockSkewSeconds * 1000 < now);
      // Keys are inserted with retiring_since set; a null one is a row from an older version: no grace to wait for.
      const settled = row.retiring_since === null || now - row.retiring_since >= graceMs;
      if (row.status === 'retiring' && tokensDead && settled) {
        if (await store.retire(row.kid, now)) logger.info({ kid: row.kid }, 'signing key retired: its last token expired');
        row.status = 'retired';
      }
    }
    const live = rows.filter((r) => r.status === 'active' || r.status === 'retiring');
    verifiers = new Map(live.map((r) => [r.kid, createPublicKey({ key: JSON.parse(r.public_jwk) as JWK, format: 'jwk' } as never)]));
    published = live.map((r) => {
      const jwk = JSON.parse(r.public_jwk) as JWK;
      return { kty: 'RSA', kid: r.kid, n: jwk.n, e: jwk.e, alg: OWN_SIGNING_ALGORITHM, use: 'sig' } as JWK;
    });
    const activeRow = live.find((r) => r.status === 'active');
    if (activeRow && active?.kid !== activeRow.kid) {
      const key = privateOf(activeRow);
      if (key) active = { kid: activeRow.kid, key };
      else if (activeRow.source === 'file' && !options.privateKeyFile) active = undefined;
    }
  }

  return {
    /** Loads the configured key (files) or the stored active key; in development makes one when there is none. */
    async init(): Promise<void> {
      if (options.privateKeyFile) await useFileKey();
      await reload();
      if (!active) {
        if (options.production) throw new GatehouseError('KEYS_MISSING');
        await storeGenerated('development');
        logger.warn({}, 'generated a DEVELOPMENT signing key; production refuses it (set RSA_PRIVATE_KEY_FILE_PATH)');
        await reload();
      }
    },
    reload,
    /** New active key (stored encrypted); the previous one keeps verifying while it retires. */
    async rotate(): Promise<string> {
      if (options.privateKeyFile) throw new GatehouseError('KEYS_FILE_MANAGED');
      const kid = await storeGenerated(options.production ? 'generated' : 'development');
      await reload();
      return kid;
    },
    async retire(kid: string): Promise<void> {
      const row = await store.find(kid);
      if (!row) throw new GatehouseError('NOT_FOUND', 'No such key.');
      if (row.status === 'active') throw new GatehouseError('KEY_ACTIVE');
      await store.retire(kid, clock.now());
      await reload();
    },
    signingKey(): { kid: string; key: KeyObject } {
      if (!active) throw new GatehouseError('KEYS_MISSING');
      return active;
    },
    /** A verification key by kid; an unknown kid triggers at most one reload per 5 s (another instance may have rotated). */
    async verificationKey(kid: string): Promise<KeyObject | undefined> {
      const key = verifiers.get(kid);
      if (key || clock.now() - lastReload < 5000) return key;
      await reload();
      return verifiers.get(kid);
    },
    /**
     * Records that `kid` signs a token living until `expiresAt` (null = unlimited), before the token exists. False when
     * the key is no longer live (another instance retired it): the caller must not hand out a token signed with it.
     */
    noteSigned: (kid: string, expiresAt: number | null): Promise<boolean> => store.noteTokenExpiry(kid, expiresAt),
    /** What production refuses about the keys in use, each with how to fix it (see checkProductionKeys). */
    async productionProblems(): Promise<string[]> {
      const problems = await checkProductionKeys({ privateKeyFile: options.privateKeyFile, publicKeyFile: options.publicKeyFile, keyId: options.keyId, keys: await store.list() });
      return problems.map((p) => p.message);
    },
    /** The JWKS document: exactly the public parts of the active and retiring keys. */
    jwks(): { keys: JWK[] } {
      return { keys: published };
    },
    async list(): Promise<KeyInfo[]> {
      const rows = await store.list();
      const fingerprints = await Promise.all(rows.map((r) => keyFingerprint(JSON.parse(r.public_jwk) as JWK)));
      return rows.map((r, i) => ({
        kid: r.kid, status: r.status, source: r.source, bits: r.bits, fingerprint: fingerprints[i] ?? '', development: r.source === 'development',
        createdAt: iso(r.created_at) as string, activatedAt: iso(r.activated_at), retiringSince: iso(r.retiring_since), retiredAt: iso(r.retired_at),
        lastTokenExpiresAt: r.last_token_expires_at === -1 ? 'never' : iso(r.last_token_expires_at),
      }));
    },
  };
}

export type KeyRing = ReturnType<typeof createKeyRing>;
