import { createPublicKey } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkProductionKeys, generateRsaKeyPair, halvesMatch, keyBits, keyFingerprint, loadPrivateKey, loadPublicKey, PUBLISHED_KEY_THUMBPRINTS,
  writeKeyFiles, type StoredKeyFacts,
} from '../../src/keys/index.js';
import { FIXTURES, fixture } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return 'no error';
};

describe('key files: OpenMetadata DER and PEM', () => {
  it('loads PKCS#8 DER and X.509 SPKI DER (OpenMetadata private_key.der / public_key.der) as one pair', async () => {
    const priv = loadPrivateKey(fixture('rsa2048-test-fixture-private.der'));
    const pub = loadPublicKey(fixture('rsa2048-test-fixture-public.der'));
    expect(keyBits(pub)).toBe(2048);
    expect(await halvesMatch(priv, pub)).toBe(true);
  });

  it('detects PEM (PKCS#8, PKCS#1, and PEM with text before the BEGIN line) and gets the same key', async () => {
    const der = loadPublicKey(fixture('rsa2048-test-fixture-public.der'));
    for (const name of ['rsa2048-test-fixture-private.pem', 'rsa2048-test-fixture-private-pkcs1.pem']) {
      expect(await halvesMatch(loadPrivateKey(fixture(name)), der)).toBe(true);
    }
    const bagged = join(dir, 'bagged.pem');
    writeFileSync(bagged, `Bag Attributes\n    localKeyID: 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20\nsubject=/CN=x\n${readFileSync(fixture('rsa2048-test-fixture-public.pem'), 'utf8')}`);
    expect(await keyFingerprint(loadPublicKey(bagged))).toBe(await keyFingerprint(der));
  });

  it('finds a mismatched pair by comparing moduli', async () => {
    const priv = loadPrivateKey(fixture('rsa2048-test-fixture-private.pem'));
    expect(await halvesMatch(priv, loadPublicKey(fixture('other-rsa2048-test-fixture-public.pem')))).toBe(false);
  });

  it('refuses non-RSA keys, garbage, a private key given as the public key, and missing files, with KEYS_INVALID', () => {
    expect(codeOf(() => loadPrivateKey(fixture('ec-p256-test-fixture-private.pem')))).toBe('KEYS_INVALID');
    expect(codeOf(() => loadPublicKey(fixture('ec-p256-test-fixture-public.der')))).toBe('KEYS_INVALID');
    expect(codeOf(() => loadPrivateKey(fixture('garbage-test-fixture.der')))).toBe('KEYS_INVALID');
    expect(codeOf(() => loadPublicKey(fixture('rsa2048-test-fixture-private.der')))).toBe('KEYS_INVALID');
    expect(codeOf(() => loadPrivateKey(fixture('rsa2048-test-fixture-public.der')))).toBe('KEYS_INVALID');
    expect(codeOf(() => loadPrivateKey(join(dir, 'nope.der')))).toBe('KEYS_INVALID');
  });

  it('generates 2048+ bit pairs only and writes DER + PEM without ever overwriting', async () => {
    expect(codeOf(() => generateRsaKeyPair(1024))).toBe('KEYS_INVALID');
    const pair = generateRsaKeyPair();
    const files = writeKeyFiles(join(dir, 'gen'), pair);
    expect(files.map((f) => f.slice(f.lastIndexOf('/') + 1))).toEqual(['private_key.der', 'public_key.der', 'private_key.pem', 'public_key.pem']);
    expect(await halvesMatch(loadPrivateKey(files[0] as string), loadPublicKey(files[1] as string))).toBe(true);
    expect(await halvesMatch(loadPrivateKey(files[2] as string), loadPublicKey(files[3] as string))).toBe(true);
    expect(() => writeKeyFiles(join(dir, 'gen'), generateRsaKeyPair())).toThrow(/EEXIST/);
    expect(await halvesMatch(loadPrivateKey(files[0] as string), pair.publicKey)).toBe(true);
  });

  it('lists the thumbprint of every RSA key shipped in tests/fixtures/keys (adding a fixture without listing it fails here)', async () => {
    const rsa = readdirSync(FIXTURES).filter((f) => f.includes('-test-fixture') && f.includes('public'));
    expect(rsa.length).toBeGreaterThanOrEqual(3);
    for (const name of rsa) {
      const key = loadPublicKeyOrNull(fixture(name));
      if (key) expect(PUBLISHED_KEY_THUMBPRINTS.has(await keyFingerprint(key)), name).toBe(true);
    }
    for (const name of readdirSync(FIXTURES)) expect(name, 'fixture names must say test-fixture').toMatch(/-test-fixture/);
  });
});

function loadPublicKeyOrNull(path: string) {
  try {
    return loadPublicKey(path);
  } catch {
    return null;
  }
}

describe('production key check', () => {
  const fresh = generateRsaKeyPair();
  const freshFiles = writeKeyFiles(join(dir, 'fresh'), fresh);
  const row = async (over: Partial<StoredKeyFacts>, key = fresh.publicKey): Promise<StoredKeyFacts> => ({
    kid: 'k', status: 'active', source: 'generated', bits: 2048, public_jwk: JSON.stringify(await exportJWK(key)), ...over,
  });
  const kinds = async (input: Parameters<typeof checkProductionKeys>[0]) => (await checkProductionKeys(input)).map((p) => p.kind);

  it('accepts your own 2048-bit file pair, and your own stored generated key', async () => {
    expect(await checkProductionKeys({ privateKeyFile: freshFiles[0] as string, publicKeyFile: freshFiles[1] as string, keys: [await row({ source: 'file' })] })).toEqual([]);
    expect(await checkProductionKeys({ privateKeyFile: null, publicKeyFile: null, keys: [await row({})] })).toEqual([]);
  });

  it('reports a missing key with how to make one', async () => {
    const problems = await checkProductionKeys({ privateKeyFile: null, publicKeyFile: null, keys: [await row({ status: 'retired' })] });
    expect(problems.map((p) => p.kind)).toEqual(['missing']);
    expect(problems[0]?.message).toMatch(/gatehouse keys generate --out/);
  });

  it('reports unreadable files and mismatched halves', async () => {
    expect(await kinds({ privateKeyFile: fixture('garbage-test-fixture.der'), publicKeyFile: null, keys: [] })).toEqual(['unreadable']);
    const mismatch = await checkProductionKeys({ privateKeyFile: freshFiles[0] as string, publicKeyFile: fixture('other-rsa2048-test-fixture-public.pem'), keys: [] });
    expect(mismatch.map((p) => p.kind)).toEqual(['mismatch']);
    expect(mismatch[0]?.message).toMatch(/not the public half[\s\S]*one pair/);
  });

  it('refuses the repository fixtures (by thumbprint, whatever their kid) and keys under 2048 bits', async () => {
    expect(await kinds({ privateKeyFile: fixture('rsa2048-test-fixture-private.der'), publicKeyFile: fixture('rsa2048-test-fixture-public.der'), keys: [] })).toEqual(['published']);
    expect(await kinds({ privateKeyFile: fixture('rsa1024-test-fixture-private.der'), publicKeyFile: null, keys: [] })).toEqual(['weak', 'published']);
    const fixtureKey = createPublicKey(readFileSync(fixture('rsa2048-test-fixture-public.pem')));
    expect(await kinds({ privateKeyFile: null, publicKeyFile: null, keys: [await row({ kid: 'Gb389a-anything' }, fixtureKey)] })).toEqual(['published']);
  });

  it('refuses live development keys until they are retired, and weak stored keys', async () => {
    const dev = await row({ kid: 'dev', source: 'development', status: 'retiring' });
    const problems = await checkProductionKeys({ privateKeyFile: null, publicKeyFile: null, keys: [await row({}), dev] });
    expect(problems.map((p) => [p.kind, p.subject])).toEqual([['development', 'dev']]);
    expect(problems[0]?.message).toMatch(/gatehouse keys retire dev/);
    expect(await kinds({ privateKeyFile: null, publicKeyFile: null, keys: [await row({}), { ...dev, status: 'retired' }] })).toEqual([]);
    expect(await kinds({ privateKeyFile: null, publicKeyFile: null, keys: [await row({ bits: 1024 })] })).toEqual(['weak']);
  });
});
