import { SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPrincipalLoader } from '../../src/authz/index.js';
import { createRemoteJwks } from '../../src/jwks/index.js';
import { EXTERNAL_TOKEN_ALGORITHMS, frozenClock, silentLogger } from '../../src/shared/index.js';
import { createApiTokenStore, createEndedSignInStore, createRoleStore, createUserStore, type ApiTokenStore } from '../../src/storage/index.js';
import { createBearerVerifier, createTokenService, createVerifiedCache, type BearerVerifier } from '../../src/tokens/index.js';
import { ENGINES, freshDatabase } from '../support/databases.js';
import { insertUser, ISSUER, makeRing, T0 } from './support.js';

type Db = Awaited<ReturnType<typeof freshDatabase>>;

describe.each(ENGINES)('token service on %s: issue, authenticate (verify + record + cache), revoke', (engine) => {
  let db: Db;
  let clock: ReturnType<typeof frozenClock>;
  let ring: ReturnType<typeof makeRing>;
  let store: ApiTokenStore;
  let counts: { verify: number; find: number; touch: number };
  let published: string[];
  let publishedSignIns: string[];
  let gate: Promise<void> | null;
  /** Holds last-use writes back while set. */
  let touchGate: Promise<void> | null;
  /** Told when a lookup has read its record and stops at the gate. */
  let atGate: (() => void) | null;
  let principals: ReturnType<typeof createPrincipalLoader>;
  let cache: ReturnType<typeof createVerifiedCache>;

  function build(options: { allowUnlimited?: boolean } = {}) {
    const real = createBearerVerifier({ ring, remote: createRemoteJwks({ clock, logger: silentLogger, algorithms: EXTERNAL_TOKEN_ALGORITHMS }), clock, ownIssuer: ISSUER, trusted: [], externalAlgorithms: ['RS256'], clockSkewSeconds: 60 });
    const verifier: BearerVerifier = { verify: (t) => ((counts.verify += 1), real.verify(t)) };
    const base = createApiTokenStore(db.db);
    store = {
      ...base,
      find: async (id) => {
        counts.find += 1;
        const row = await base.find(id);
        if (gate) {
          atGate?.();
          await gate;
        }
        return row;
      },
      touchMany: async (uses) => {
        counts.touch += 1;
        if (touchGate) await touchGate;
        return base.touchMany(uses);
      },
    };
    return createTokenService({
      ring, verifier, store, cache, principals, clock, logger: silentLogger, issuer: ISSUER, accessTokenTtlSeconds: 3600,
      allowUnlimited: options.allowUnlimited ?? true, nameRules: { principalClaims: ['email', 'preferred_username', 'sub'], mapping: null },
      domainRules: { enforcePrincipalDomain: false, principalDomain: null, allowedDomains: [] }, publishRevoked: (jti) => void published.push(jti),
      signIns: createEndedSignInStore(db.db), publishSignInEnded: (id) => void publishedSignIns.push(id),
    });
  }

  beforeEach(async () => {
    db = await freshDatabase(engine);
    clock = frozenClock(T0);
    ring = makeRing(db, clock);
    await ring.init();
    counts = { verify: 0, find: 0, touch: 0 };
    published = [];
    publishedSignIns = [];
    gate = null;
    touchGate = null;
    atGate = null;
    principals = createPrincipalLoader({ users: createUserStore(db.db), roles: createRoleStore(db.db) });
    cache = createVerifiedCache();
  });
  afterEach(async () => {
    await db.dispose();
  });

  const code = (p: Promise<unknown>) => p.then(() => 'ACCEPTED', (e: { code?: string }) => e.code ?? String(e));

  it('bot tokens: only for bot users; a new one replaces the old on the very next request', async () => {
    const tokens = build();
    const bot = await insertUser(db, 'etl-bot', { isBot: true });
    const human = await insertUser(db, 'ann');
    expect(await code(tokens.issueBotToken(human, [], '7'))).toBe('TOKEN_BOTS_ONLY');
    const first = await tokens.issueBotToken(bot, ['IngestionBotRole'], '7');
    expect(await tokens.authenticate(first.token)).toMatchObject({ name: 'etl-bot', isBot: true, method: 'bot-token', credentialId: first.jti });
    clock.advance(1000);
    const second = await tokens.issueBotToken(bot, [], '30');
    expect(await code(tokens.authenticate(first.token))).toBe('AUTH_TOKEN_REVOKED');
    expect(published).toEqual([first.jti]);
    expect(await code(tokens.authenticate(second.token))).toBe('ACCEPTED');
    expect((await tokens.list(bot.id, 'BOT')).map((t) => [t.id, t.revoked])).toEqual([[second.jti, false], [first.jti, true]]);
  });

  it('steady state: a cached token costs no RSA verification and no database access; last use is one write per flush', async () => {
    const tokens = build();
    const bot = await insertUser(db, 'etl-bot', { isBot: true });
    const pat = await tokens.issuePersonalToken(await insertUser(db, 'ann'), [], { name: 'ci', expiry: '7', scopes: null });
    const { token, jti } = await tokens.issueBotToken(bot, [], '7');
    for (let i = 0; i < 50; i += 1) {
      await tokens.authenticate(token);
      clock.advance(10);
    }
    await tokens.authenticate(pat.token);
    expect([counts.verify, counts.find, counts.touch]).toEqual([2, 2, 0]); // no write on any request
    await tokens.flushLastUsed();
    expect(counts.touch).toBe(1); // both tokens, one statement
    const row = async (id: string) => (await db.db.selectFrom('api_tokens').select('last_used_at').where('id', '=', id).executeTakeFirstOrThrow()).last_used_at;
    expect(await row(jti)).toBe(T0 + 49 * 10); // the latest use, not the first
    expect(await row(pat.jti)).toBe(T0 + 500);
    await tokens.flushLastUsed();
    expect(counts.touch).toBe(1); // nothing new: no write
    clock.advance(61_000);
    for (let i = 0; i < 20; i += 1) await tokens.authenticate(token);
    await tokens.flushLastUsed();
    expect(counts.touch).toBe(2);
    expect(await row(jti)).toBe(T0 + 500 + 61_000);
  });

  it('a flush waits for last-use writes still running (shutdown), so the use is on record before the database closes', async () => {
    const tokens = build();
    const bot = await insertUser(db, 'etl-bot', { isBot: true });
    const { token } = await tokens.issueBotToken(bot, [], '7');
    let release: () => void = () => {};
    touchGate = new Promise((resolve) => (release = resolve));
    await tokens.authenticate(token);
    void tokens.flushLastUsed(); // the timer's flush, its write held up
    let flushed = false;
    const flushing = tokens.flushLastUsed().then(() => (flushed = true)); // shutdown's flush
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(flushed).toBe(false);
    release();
    await flushing;
    expect((await tokens.list(bot.id, 'BOT'))[0]?.lastUsedAt).not.toBeNull();
  });

  it('revocation holds on the very next request, even while the token is cached', async () => {
    const tokens = build();
    const ann = await insertUser(db, 'ann');
    const pat = await tokens.issuePersonalToken(ann, [], { name: 'laptop', expiry: '30', scopes: ['read-only'] });
    // Read-only keeps only the intersection with the owner's rights: Ann's token:manageOwn is dropped.
    expect([...(await tokens.authenticate(pat.token)).permissions]).toEqual([]);
    expect(await tokens.revoke([pat.jti], 'someone-else')).toEqual([]);
    expect(await code(tokens.authenticate(pat.token))).toBe('ACCEPTED');
    expect(await tokens.revoke([pat.jti], ann.id)).toEqual([pat.jti]);
    expect(await code(tokens.authenticate(pat.token))).toBe('AUTH_TOKEN_REVOKED');
  });

  it('a verification in flight during a revocation is not cached after it', async () => {
    const tokens = build();
    const ann = await insertUser(db, 'ann');
    const pat = await tokens.issuePersonalToken(ann, [], { name: 'ci', expiry: '7', scopes: null });
    let open!: () => void;
    gate = new Promise((resolve) => (open = resolve));
    const waiting = new Promise<void>((resolve) => (atGate = resolve));
    const inFlight = tokens.authenticate(pat.token);
    await waiting; // it has read the (live) record and waits at the gate
    await tokens.revoke([pat.jti], null);
    gate = null;
    open();
    await inFlight;
    expect(await code(tokens.authenticate(pat.token))).toBe('AUTH_TOKEN_REVOKED');
  });

  it('a deleted bot\'s token is refused (record gone with the user), also after the cache is told', async () => {
    const tokens = build();
    const bot = await insertUser(db, 'gone-bot', { isBot: true });
    const { token } = await tokens.issueBotToken(bot, [], '7');
    await tokens.authenticate(token);
    await createUserStore(db.db).delete(bot.id);
    // What the user service's change event does on every instance:
    principals.invalidate(bot.id);
    cache.invalidateUser(bot.id);
    expect(await code(tokens.authenticate(token))).toBe('AUTH_TOKEN_REVOKED');
  });

  it('tokens never on record are refused even when validly signed (leaked key, replayed jti with another body)', async () => {
    const tokens = build();
    const bot = await insertUser(db, 'etl-bot', { isBot: true });
    const real = await tokens.issueBotToken(bot, [], '7');
    const { kid, key } = ring.signingKey();
    const iat = Math.floor(T0 / 1000);
    const sign = (claims: Record<string, unknown>) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(key);
    const base = { iss: ISSUER, sub: 'etl-bot', isBot: true, tokenType: 'BOT', roles: [], iat, exp: iat + 600 };
    expect(await code(tokens.authenticate(await sign({ ...base, jti: 'never-issued' })))).toBe('AUTH_TOKEN_REVOKED');
    expect(await code(tokens.authenticate(await sign({ ...base, jti: real.jti, roles: ['Admin'] })))).toBe('AUTH_TOKEN_REVOKED');
    expect(await code(tokens.authenticate(await sign({ ...base, jti: real.jti, tokenType: 'PERSONAL_ACCESS', isBot: false })))).toBe('AUTH_TOKEN_REVOKED');
  });

  it('extra claims grant nothing: rights come from the database', async () => {
    const tokens = build();
    const ann = await insertUser(db, 'ann');
    const { kid, key } = ring.signingKey();
    const iat = Math.floor(T0 / 1000);
    const forgedish = await new SignJWT({ iss: ISSUER, sub: 'ann', isBot: false, tokenType: 'OM_USER', roles: ['Admin'], isAdmin: true, iat, exp: iat + 600, jti: 'x' })
      .setProtectedHeader({ alg: 'RS256', kid }).sign(key);
    const principal = await tokens.authenticate(forgedish);
    expect([principal.name, principal.isAdmin, principal.roles]).toEqual([ann.name, false, []]);
  });

  it('user access tokens (OM_USER): short-lived, and refused once the user is disabled', async () => {
    const tokens = build();
    const ann = await insertUser(db, 'ann');
    const access = await tokens.issueUserAccessToken(ann, [], 'sign-in-1');
    expect(access.expiresAt).toBe(T0 + 3_600_000);
    expect((await tokens.authenticate(access.token)).method).toBe('user-token');
    await createUserStore(db.db).update(ann.id, { disabled: 1, updated_at: T0 + 1 });
    principals.invalidate(ann.id);
    cache.invalidateUser(ann.id);
    expect(await code(tokens.authenticate(access.token))).toBe('AUTH_TOKEN_REVOKED');
  });

  it('user access tokens die with their sign-in, cached or not; a forged or foreign token names no sign-in', async () => {
    const tokens = build();
    const ann = await insertUser(db, 'ann');
    const first = await tokens.issueUserAccessToken(ann, [], 'family-1');
    const second = await tokens.issueUserAccessToken(ann, [], 'family-2');
    expect(await code(tokens.authenticate(first.token))).toBe('ACCEPTED'); // now cached
    expect(await tokens.signInOf(first.token)).toEqual({ signInId: 'family-1', subject: 'ann' });
    await tokens.endSignIns(ann.id, ['family-1']);
    expect(publishedSignIns).toEqual(['family-1']);
    expect(await code(tokens.authenticate(first.token))).toBe('AUTH_TOKEN_REVOKED');
    expect(await code(tokens.authenticate(second.token))).toBe('ACCEPTED');
    // Expired but genuine still names its sign-in (a logout may send it); a forged signature names none.
    clock.advance(2 * 3_600_000);
    expect((await tokens.signInOf(second.token))?.signInId).toBe('family-2');
    expect(await tokens.signInOf(`${second.token.slice(0, -6)}AAAAAA`)).toBeUndefined();
    expect(await tokens.signInOf('not a jwt')).toBeUndefined();
    const bot = await insertUser(db, 'etl-bot', { isBot: true });
    expect(await tokens.signInOf((await tokens.issueBotToken(bot, [], '7')).token)).toBeUndefined();
  });

  it('a user access token with a sid that is not a string is refused', async () => {
    const tokens = build();
    await insertUser(db, 'ann');
    const { kid, key } = ring.signingKey();
    const iat = Math.floor(T0 / 1000);
    const bad = await new SignJWT({ iss: ISSUER, sub: 'ann', isBot: false, tokenType: 'OM_USER', roles: [], iat, exp: iat + 600, jti: 'y', sid: 42 })
      .setProtectedHeader({ alg: 'RS256', kid }).sign(key);
    expect(await code(tokens.authenticate(bad))).toBe('AUTH_TOKEN_CLAIMS');
  });

  it('personal tokens: none for bots, known scopes only, Unlimited only when allowed, expiry enforced', async () => {
    const tokens = build({ allowUnlimited: false });
    const ann = await insertUser(db, 'ann');
    const bot = await insertUser(db, 'etl-bot', { isBot: true });
    expect(await code(tokens.issuePersonalToken(bot, [], { name: 'x', expiry: '7', scopes: null }))).toBe('TOKEN_NO_PERSONAL_FOR_BOTS');
    expect(await code(tokens.issuePersonalToken(ann, [], { name: 'x', expiry: '7', scopes: ['everything'] }))).toBe('REQUEST_INVALID');
    expect(await code(tokens.issuePersonalToken(ann, [], { name: 'x', expiry: 'Unlimited', scopes: null }))).toBe('TOKEN_UNLIMITED_FORBIDDEN');
    expect(await code(tokens.issueBotToken(bot, [], 'Unlimited'))).toBe('TOKEN_UNLIMITED_FORBIDDEN');
    const pat = await tokens.issuePersonalToken(ann, [], { name: 'x', expiry: 'OneHour', scopes: null });
    clock.advance(3_600_000 + 61_000);
    expect(await code(tokens.authenticate(pat.token))).toBe('AUTH_TOKEN_EXPIRED');
  });

  it('tokens from a key that was retired are refused, including cached ones once the cache is cleared', async () => {
    const tokens = build();
    const bot = await insertUser(db, 'etl-bot', { isBot: true });
    const { token, kid } = await tokens.issueBotToken(bot, [], '7');
    await ring.rotate();
    expect(await code(tokens.authenticate(token))).toBe('ACCEPTED');
    await ring.retire(kid);
    cache.clear(); // what the "keys" change event does on every instance
    expect(await code(tokens.authenticate(token))).toBe('AUTH_TOKEN_UNKNOWN_KID');
  });
});
