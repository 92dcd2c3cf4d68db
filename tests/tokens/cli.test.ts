import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/index.js';
import type { KeyRing } from '../../src/keys/index.js';
import { makeKeysCommands } from '../../src/cli/commands/keys.js';
import { inspectToken, tokenInspectCommand } from '../../src/cli/commands/token-inspect.js';
import { frozenClock } from '../../src/shared/index.js';
import { signOwnToken } from '../../src/tokens/index.js';
import { freshDatabase } from '../support/databases.js';
import { ISSUER, makeRing, startRingWithJwks, T0, WRONG_CLAIM_TYPES, type LocalServer } from './support.js';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), env: {} };
  return { io: value, out: () => out.join('\n'), err: () => err.join('\n') };
}

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('gatehouse keys (factory with an injected database)', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let changes: number;
  const clock = frozenClock(T0);
  let commands: ReturnType<typeof makeKeysCommands>;
  beforeEach(async () => {
    db = await freshDatabase('sqlite');
    changes = 0;
    const ring = makeRing(db, clock);
    await ring.init();
    commands = makeKeysCommands({
      openKeyRing: async () => ({ ring, changed: async () => void (changes += 1), close: async () => undefined }),
    });
    return () => db.dispose();
  });

  it('generate works without any database and never overwrites a pair', async () => {
    const first = io();
    expect(await commands.generate.run(['--out', join(dir, 'pair'), '--bits', '3072'], first.io)).toBe(0);
    expect(first.out()).toMatch(/private_key\.der[\s\S]*public_key\.der[\s\S]*JWT_KEY_ID=\S{43}/);
    const again = io();
    expect(await commands.generate.run(['--out', join(dir, 'pair')], again.io)).toBe(1);
    expect(again.err()).toMatch(/already holds a key pair/);
    expect(await commands.generate.run(['--out', join(dir, 'x'), '--bits', '1024'], io().io)).toBe(2);
    expect(await commands.generate.run([], io().io)).toBe(2);
  });

  it('list, rotate and retire; each change notifies running servers', async () => {
    const listed = io();
    expect(await commands.list.run([], listed.io)).toBe(0);
    expect(listed.out()).toMatch(/active +DEVELOPMENT +2048 bits +sha256 \S{43}/);
    const oldKid = listed.out().split(' ')[0] as string;
    const rotated = io();
    expect(await commands.rotate.run([], rotated.io)).toBe(0);
    expect(rotated.out()).toMatch(/New active key \S+/);
    const after = io();
    await commands.list.run([], after.io);
    expect(after.out()).toContain(`${oldKid}  retiring`);
    const retired = io();
    expect(await commands.retire.run([oldKid], retired.io)).toBe(0);
    expect(retired.out()).toMatch(/retired: tokens it signed are refused/);
    expect(changes).toBe(2);
    expect(await commands.retire.run([], io().io)).toBe(2);
    await expect(commands.retire.run(['no-such-kid'], io().io)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('reports a database that cannot be opened without touching anything', async () => {
    const failing = makeKeysCommands({ openKeyRing: async (out) => (out.err('bad configuration'), null) });
    const result = io();
    expect(await failing.rotate.run([], result.io)).toBe(1);
    expect(result.err()).toBe('bad configuration');
  });
});

describe('gatehouse token inspect, check by check against a JWKS URL', () => {
  const clock = frozenClock(Date.now());
  let fixture: Awaited<ReturnType<typeof startRingWithJwks>>;
  let ring: KeyRing;
  let server: LocalServer;
  beforeAll(async () => {
    fixture = await startRingWithJwks(clock);
    ({ ring, server } = fixture);
  });
  afterAll(() => fixture.close());
  const sign = (lifetimeSeconds: number | null) =>
    signOwnToken({ ring, clock, issuer: ISSUER }, { sub: 'bot', email: null, isBot: true, tokenType: 'BOT', roles: [], lifetimeSeconds });
  const verdicts = async (token: string, now = Date.now()) =>
    Object.fromEntries((await inspectToken(token, { jwksUrl: `${server.url}/jwks`, issuer: ISSUER, skewSeconds: 60, now })).checks.map((c) => [c.name, c.ok]));

  it('passes a good token, and says revocation cannot be checked offline', async () => {
    const { token } = await sign(3600);
    expect(await verdicts(token)).toEqual({ algorithm: true, kid: true, key: true, signature: true, issuer: true, claims: true, expiry: true, revocation: null });
    const printed = io();
    expect(await tokenInspectCommand.run([`Bearer ${token}`, '--jwks', `${server.url}/jwks`], printed.io)).toBe(0);
    expect(printed.out()).toMatch(/PASS {2}signature[\s\S]*SKIP {2}revocation +cannot check offline[\s\S]*No check failed/);
  });

  it('explains expired, unknown-kid, forged, alg none and HMAC tokens', async () => {
    const { token, expiresAt } = await sign(3600);
    expect((await verdicts(token, Date.now() + 3_700_000)).expiry).toBe(false);
    // The server's rule: refused from exp + skew on (60 s here), accepted one second before.
    expect((await verdicts(token, (expiresAt as number) + 59_000)).expiry).toBe(true);
    expect((await verdicts(token, (expiresAt as number) + 60_000)).expiry).toBe(false);
    const other = await new SignJWT({ iss: ISSUER }).setProtectedHeader({ alg: 'RS256', kid: 'gone' }).sign(ring.signingKey().key);
    expect((await verdicts(other)).key).toBe(false);
    const forged = `${token.slice(0, -6)}AAAAAA`;
    expect((await verdicts(forged)).signature).toBe(false);
    const none = new UnsecuredJWT({ iss: ISSUER, exp: Math.floor(Date.now() / 1000) + 60 }).encode();
    expect((await verdicts(none)).algorithm).toBe(false);
    const hmac = await new SignJWT({ iss: ISSUER }).setProtectedHeader({ alg: 'HS256', kid: ring.signingKey().kid }).sign(new Uint8Array(32));
    const printed = io();
    expect(await tokenInspectCommand.run([hmac, '--jwks', `${server.url}/jwks`], printed.io)).toBe(1);
    expect(printed.out()).toMatch(/FAIL {2}algorithm +alg HS256 \(HMAC: never accepted[\s\S]*REFUSED/);
  });

  it('fails the claims check on every claim of the wrong type, with the verifier\'s own list', async () => {
    const now = Math.floor(Date.now() / 1000);
    const base = { iss: ISSUER, sub: 'bot', isBot: true, tokenType: 'BOT', roles: [], iat: now, exp: now + 600, jti: 'j-1' };
    const signed = (payload: Record<string, unknown>) => new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: ring.signingKey().kid }).sign(ring.signingKey().key);
    expect((await verdicts(await signed(base))).claims).toBe(true);
    for (const override of WRONG_CLAIM_TYPES) {
      const result = await inspectToken(await signed({ ...base, ...override }), { jwksUrl: `${server.url}/jwks`, skewSeconds: 60, now: Date.now() });
      const claims = result.checks.find((c) => c.name === 'claims');
      expect(claims?.ok, JSON.stringify(override)).toBe(false);
      expect(claims?.detail).toContain(Object.keys(override).at(-1));
    }
    // A user access token without exp, and a provider's token without exp, are refused by the server: inspect says so.
    expect((await verdicts(await signed({ ...base, tokenType: 'OM_USER', isBot: false, exp: undefined }))).claims).toBe(false);
    expect((await verdicts(await signed({ iss: 'https://idp.example', sub: 'abc', iat: now }))).claims).toBe(false);
    const printed = io();
    expect(await tokenInspectCommand.run([await signed({ ...base, aud: 5 }), '--jwks', `${server.url}/jwks`], printed.io)).toBe(1);
    expect(printed.out()).toMatch(/FAIL {2}claims +as a Gatehouse token: aud must be a string or an array of strings, got 5[\s\S]*REFUSED \(claims\)/);
  });

  it('says so when the JWKS cannot be fetched, and refuses text that is not a JWT', async () => {
    const { token } = await sign(60);
    const result = await inspectToken(token, { jwksUrl: 'http://127.0.0.1:9/jwks', skewSeconds: 60, now: Date.now() });
    expect(result.checks.find((c) => c.name === 'key')).toMatchObject({ ok: null, detail: expect.stringMatching(/could not fetch/) });
    const printed = io();
    expect(await tokenInspectCommand.run(['not-a-jwt'], printed.io)).toBe(1);
    expect(printed.err()).toMatch(/Not a JWT/);
  });
});
