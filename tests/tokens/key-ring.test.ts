import { randomBytes } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { frozenClock } from '../../src/shared/index.js';
import { createSigningKeyStore } from '../../src/storage/index.js';
import { signOwnToken } from '../../src/tokens/index.js';
import { freshDatabase } from '../support/databases.js';
import { fixture, ISSUER, makeRing, T0 } from './support.js';

type Db = Awaited<ReturnType<typeof freshDatabase>>;
const DAY = 86_400_000;

describe('key ring: development keys, file keys, rotation, retirement, JWKS', () => {
  let db: Db;
  let clock: ReturnType<typeof frozenClock>;
  beforeEach(async () => {
    db = await freshDatabase('sqlite');
    clock = frozenClock(T0);
  });
  afterEach(async () => {
    await db.dispose();
  });

  const token = (ring: ReturnType<typeof makeRing>, lifetimeSeconds: number | null = 3600) =>
    signOwnToken({ ring, clock, issuer: ISSUER }, { sub: 'bot', email: null, isBot: true, tokenType: 'BOT', roles: [], lifetimeSeconds });
  const verifies = async (ring: ReturnType<typeof makeRing>, jwt: string) => {
    const key = await ring.verificationKey(decodeProtectedHeader(jwt).kid as string);
    if (!key) return false;
    await jwtVerify(jwt, key, { currentDate: new Date(clock.now()) });
    return true;
  };
  const kids = (ring: ReturnType<typeof makeRing>) => ring.jwks().keys.map((k) => k.kid).sort();

  it('development: generates a key on first start, marks it, keeps it encrypted, and keeps it across restarts', async () => {
    const ring = makeRing(db, clock);
    await ring.init();
    const [info] = await ring.list();
    expect(info).toMatchObject({ status: 'active', source: 'development', development: true, bits: 2048 });
    const row = await createSigningKeyStore(db.db).find(info?.kid as string);
    expect(row?.private_key_enc).toBeTruthy();
    // A sealed box, not the PEM or base64 DER (which starts with MII). Not "contains MII": random ciphertext of a
    // 2048-bit key has that 3-letter run somewhere about once in 160 runs.
    expect(row?.private_key_enc).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(row?.private_key_enc).not.toMatch(/PRIVATE KEY/);
    const jwt = (await token(ring)).token;
    const restarted = makeRing(db, clock);
    await restarted.init();
    expect(restarted.signingKey().kid).toBe(info?.kid);
    expect(await verifies(restarted, jwt)).toBe(true);
    expect(await ring.productionProblems()).toEqual([expect.stringMatching(/development key/)]);
  });

  it('a stored private key does not open with another encryption key', async () => {
    await makeRing(db, clock).init();
    const other = makeRing(db, clock, { encryptionKey: randomBytes(32) });
    await expect(other.init()).rejects.toMatchObject({ code: 'KEYS_INVALID' });
  });

  it('production without a key refuses to start', async () => {
    await expect(makeRing(db, clock, { production: true }).init()).rejects.toMatchObject({ code: 'KEYS_MISSING' });
  });

  it('file keys (DER, JWT_KEY_ID): that key is active, only its public part is stored, and it cannot be rotated by API', async () => {
    const ring = makeRing(db, clock, {
      privateKeyFile: fixture('rsa2048-test-fixture-private.der'), publicKeyFile: fixture('rsa2048-test-fixture-public.der'), keyId: 'Gb389a-9f76-gdjs-a92j-0242bk94356',
    });
    await ring.init();
    expect(ring.signingKey().kid).toBe('Gb389a-9f76-gdjs-a92j-0242bk94356');
    expect((await createSigningKeyStore(db.db).find('Gb389a-9f76-gdjs-a92j-0242bk94356'))?.private_key_enc).toBeNull();
    expect(kids(ring)).toEqual(['Gb389a-9f76-gdjs-a92j-0242bk94356']);
    await expect(ring.rotate()).rejects.toMatchObject({ code: 'KEYS_FILE_MANAGED' });
    // The fixture is public knowledge: production lists it even under a custom kid.
    expect((await ring.productionProblems()).join('\n')).toMatch(/published test or example key/);
  });

  it('file keys: mismatched halves and a kid already used by another key are refused at start', async () => {
    const mismatched = makeRing(db, clock, { privateKeyFile: fixture('rsa2048-test-fixture-private.pem'), publicKeyFile: fixture('other-rsa2048-test-fixture-public.pem') });
    await expect(mismatched.init()).rejects.toMatchObject({ code: 'KEYS_INVALID' });
    await makeRing(db, clock, { privateKeyFile: fixture('rsa2048-test-fixture-private.pem'), publicKeyFile: null, keyId: 'k1' }).init();
    const reused = makeRing(db, clock, { privateKeyFile: fixture('other-rsa2048-test-fixture-private.pem'), publicKeyFile: null, keyId: 'k1' });
    await expect(reused.init()).rejects.toMatchObject({ code: 'KEYS_INVALID' });
  });

  it('switching key files keeps the previous file key verifying (retiring) until its tokens expire', async () => {
    const first = makeRing(db, clock, { privateKeyFile: fixture('rsa2048-test-fixture-private.der'), publicKeyFile: null, keyId: 'old' });
    await first.init();
    const jwt = (await token(first, 7 * 86_400)).token;
    const second = makeRing(db, clock, { privateKeyFile: fixture('other-rsa2048-test-fixture-private.pem'), publicKeyFile: null, keyId: 'new' });
    await second.init();
    expect(second.signingKey().kid).toBe('new');
    expect(kids(second)).toEqual(['new', 'old']);
    expect(await verifies(second, jwt)).toBe(true);
  });

  it('rotation: the new key signs, the old one keeps verifying; JWKS is exactly active + retiring, public parts only', async () => {
    const ring = makeRing(db, clock);
    await ring.init();
    const oldKid = ring.signingKey().kid;
    const old = (await token(ring, 30 * 86_400)).token;
    const newKid = await ring.rotate();
    expect(ring.signingKey().kid).toBe(newKid);
    expect(decodeProtectedHeader((await token(ring)).token).kid).toBe(newKid);
    expect(await verifies(ring, old)).toBe(true);
    const { keys } = ring.jwks();
    expect(keys.map((k) => k.kid).sort()).toEqual([oldKid, newKid].sort());
    for (const k of keys) expect(Object.keys(k).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    expect(keys.every((k) => k.alg === 'RS256' && k.use === 'sig' && k.kty === 'RSA')).toBe(true);
    expect((await ring.list()).map((k) => [k.kid, k.status]).sort()).toEqual([[newKid, 'active'], [oldKid, 'retiring']].sort());

    await expect(ring.retire(newKid)).rejects.toMatchObject({ code: 'KEY_ACTIVE' });
    await expect(ring.retire('no-such-kid')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await ring.retire(oldKid);
    expect(kids(ring)).toEqual([newKid]);
    expect(await verifies(ring, old)).toBe(false);
  });

  it('a retiring key retires by itself once its last token expired (after the skew and a grace period), never after an Unlimited token', async () => {
    const ring = makeRing(db, clock);
    await ring.init();
    const first = ring.signingKey().kid;
    await token(ring, 86_400);
    await ring.rotate();
    clock.advance(DAY);
    await ring.reload();
    expect(kids(ring)).toContain(first); // exp reached, but still within the 60 s skew
    clock.advance(61_000);
    await ring.reload();
    expect(kids(ring)).not.toContain(first);

    const second = ring.signingKey().kid;
    await token(ring, null);
    await ring.rotate();
    clock.advance(1000 * DAY);
    await ring.reload();
    expect(kids(ring)).toContain(second);
    expect((await ring.list()).find((k) => k.kid === second)?.lastTokenExpiresAt).toBe('never');
  });

  it('a key that signed nothing is not retired before the grace period (other instances may still be signing with it)', async () => {
    const ring = makeRing(db, clock, { retireGraceSeconds: 300 });
    await ring.init();
    const first = ring.signingKey().kid;
    await ring.rotate();
    clock.advance(299_000);
    await ring.reload();
    expect(kids(ring)).toContain(first);
    clock.advance(2_000);
    await ring.reload();
    expect(kids(ring)).not.toContain(first);
  });

  it('another instance\'s rotation is picked up by reload(), or by an unknown kid at most every 5 s', async () => {
    const a = makeRing(db, clock);
    await a.init();
    const b = makeRing(db, clock);
    await b.init();
    const newKid = await b.rotate();
    const fromB = (await token(b)).token;
    expect(await a.verificationKey(newKid)).toBeUndefined(); // a reloaded during init() less than 5 s ago
    clock.advance(5_000);
    expect(await verifies(a, fromB)).toBe(true);
    expect(a.signingKey().kid).toBe(newKid);
  });

  it('never hands out a token from a key another instance retired: it reloads and signs with the active key', async () => {
    const a = makeRing(db, clock);
    await a.init();
    const stale = a.signingKey().kid;
    const b = makeRing(db, clock);
    await b.init();
    const fresh = await b.rotate();
    await b.retire(stale);
    expect(a.signingKey().kid).toBe(stale); // a has not heard of it yet
    const signed = await token(a);
    expect(signed.kid).toBe(fresh);
    expect(await verifies(b, signed.token)).toBe(true);
  });
});
