import { createSecretKey, generateKeyPairSync } from 'node:crypto';
import { SignJWT, UnsecuredJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

const ISSUER = 'open-metadata.org';

describe('bots, bot tokens and hostile bearer tokens', () => {
  let t: TestApp;
  let admin: string;
  beforeEach(async () => {
    t = await startTestApp();
    admin = await t.adminToken();
  });
  afterEach(async () => {
    await t.close();
  });

  async function newBot(name = 'etl-bot') {
    const bot = await t.call({ method: 'POST', url: '/api/v1/bots', token: admin, payload: { name, description: 'loads things' } });
    expect(bot.statusCode).toBe(201);
    return bot.json() as { id: string; botUser: { id: string; name: string } };
  }
  async function botToken(botUserId: string, expiry = '7') {
    const res = await t.call({ method: 'PUT', url: `/api/v1/users/generateToken/${botUserId}`, token: admin, payload: { JWTTokenExpiry: expiry } });
    expect(res.statusCode).toBe(200);
    return res.json() as { JWTToken: string; JWTTokenExpiresAt: number | null; id: string };
  }
  const me = (token: string) => t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', token });
  const jwks = async () => (await t.call({ method: 'GET', url: '/api/v1/system/config/jwks' })).json() as { keys: { kid: string; n: string; e: string }[] };

  it('seeds the ingestion bot and issues OpenMetadata-shaped bot tokens', async () => {
    const list = (await t.call({ method: 'GET', url: '/api/v1/bots', token: admin })).json().data;
    expect(list.map((b: { name: string }) => b.name)).toContain('ingestion-bot');
    const bot = await newBot();
    const generated = await botToken(bot.botUser.id, '30');
    const header = decodeProtectedHeader(generated.JWTToken);
    const claims = decodeJwt(generated.JWTToken);
    expect(header).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    expect((await jwks()).keys.map((k) => k.kid)).toContain(header.kid);
    expect(claims).toMatchObject({ iss: ISSUER, sub: 'etl-bot', isBot: true, tokenType: 'BOT', roles: ['IngestionBotRole'] });
    expect(typeof claims.jti).toBe('string');
    expect(claims.exp! - claims.iat!).toBe(30 * 86_400);
    const res = await me(generated.JWTToken);
    expect(res.json()).toMatchObject({ name: 'etl-bot', isBot: true });
    const info = await t.call({ method: 'GET', url: `/api/v1/users/token/${bot.botUser.id}`, token: admin });
    expect(info.json()).toMatchObject({ id: generated.id, revoked: false, kind: 'BOT' });
    expect(info.body).not.toContain(generated.JWTToken);
  });

  it('issues Unlimited tokens without exp, and refuses bad expiry values', async () => {
    const bot = await newBot();
    const unlimited = await botToken(bot.botUser.id, 'Unlimited');
    expect(decodeJwt(unlimited.JWTToken).exp).toBeUndefined();
    expect(unlimited.JWTTokenExpiresAt).toBeNull();
    const bad = await t.call({ method: 'PUT', url: `/api/v1/users/generateToken/${bot.botUser.id}`, token: admin, payload: { JWTTokenExpiry: '365' } });
    expect(bad.statusCode).toBe(400);
  });

  it('refuses to mint bot tokens for human users', async () => {
    const human = await t.userToken('henry');
    const res = await t.call({ method: 'PUT', url: `/api/v1/users/generateToken/${human.id}`, token: admin, payload: { JWTTokenExpiry: '7' } });
    expect([res.statusCode, res.json().code]).toEqual([400, 'TOKEN_BOTS_ONLY']);
    const nonAdmin = await t.call({ method: 'PUT', url: `/api/v1/users/generateToken/${human.id}`, token: human.token, payload: { JWTTokenExpiry: '7' } });
    expect(nonAdmin.statusCode).toBe(403);
  });

  it('a new bot token replaces the old one; revocation and bot deletion hold on the very next request', async () => {
    const bot = await newBot();
    const first = await botToken(bot.botUser.id);
    expect((await me(first.JWTToken)).statusCode).toBe(200);
    const second = await botToken(bot.botUser.id);
    const old = await me(first.JWTToken);
    expect([old.statusCode, old.json().code]).toEqual([401, 'AUTH_TOKEN_REVOKED']);
    expect((await me(second.JWTToken)).statusCode).toBe(200);
    await t.call({ method: 'PUT', url: '/api/v1/users/revokeToken', token: admin, payload: { id: bot.botUser.id } });
    expect((await me(second.JWTToken)).json().code).toBe('AUTH_TOKEN_REVOKED');
    const third = await botToken(bot.botUser.id);
    expect((await me(third.JWTToken)).statusCode).toBe(200);
    expect((await t.call({ method: 'DELETE', url: `/api/v1/bots/${bot.id}?hardDelete=true`, token: admin })).statusCode).toBe(204);
    expect((await me(third.JWTToken)).statusCode).toBe(401);
  });

  it('expires tokens exactly: valid within the skew, refused one second beyond it', async () => {
    const bot = await newBot();
    const token = (await botToken(bot.botUser.id, '1')).JWTToken;
    t.clock.advance(86_400_000 + 59_000);
    expect((await me(token)).statusCode).toBe(200);
    t.clock.advance(2_000);
    const res = await me(token);
    expect([res.statusCode, res.json().code]).toEqual([401, 'AUTH_TOKEN_EXPIRED']);
  });

  describe('hostile tokens', () => {
    let good: string;
    let kid: string;
    let claims: Record<string, unknown>;
    beforeEach(async () => {
      const bot = await newBot();
      good = (await botToken(bot.botUser.id)).JWTToken;
      kid = decodeProtectedHeader(good).kid as string;
      claims = decodeJwt(good) as Record<string, unknown>;
    });
    const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const sign = (payload: Record<string, unknown>, header: Record<string, unknown> = {}, key = attacker.privateKey) =>
      new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid, ...header }).sign(key);
    const expectRefused = async (token: string, code: string) => {
      const res = await me(token);
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe(code);
      expect(res.body).not.toMatch(/stack|node_modules/);
    };

    it('alg none', async () => {
      const unsigned = new UnsecuredJWT(claims).encode();
      await expectRefused(unsigned, 'AUTH_TOKEN_ALGORITHM');
    });
    it('HS256 signed with the public key as the secret', async () => {
      const { keys } = await jwks();
      const pem = Buffer.from(JSON.stringify(keys[0]));
      const token = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid }).sign(createSecretKey(pem));
      await expectRefused(token, 'AUTH_TOKEN_ALGORITHM');
    });
    it('signed by another key with our kid', async () => expectRefused(await sign(claims), 'AUTH_TOKEN_SIGNATURE'));
    it('unknown kid', async () => expectRefused(await sign(claims, { kid: 'not-a-kid' }), 'AUTH_TOKEN_UNKNOWN_KID'));
    it('missing kid', async () => {
      const token = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256' }).sign(attacker.privateKey);
      await expectRefused(token, 'AUTH_TOKEN_UNKNOWN_KID');
    });
    it('jku pointing elsewhere is ignored (key still from our ring)', async () => {
      await expectRefused(await sign(claims, { jku: 'https://evil.example/jwks.json' }), 'AUTH_TOKEN_SIGNATURE');
    });
    it('foreign issuer', async () => expectRefused(await sign({ ...claims, iss: 'https://evil.example' }), 'AUTH_TOKEN_WRONG_ISSUER'));
    it('a tampered payload (roles) breaks the signature', async () => {
      const [h, , s] = good.split('.');
      const forged = Buffer.from(JSON.stringify({ ...claims, isBot: false, tokenType: 'OM_USER', sub: 'admin' })).toString('base64url');
      await expectRefused(`${h}.${forged}.${s}`, 'AUTH_TOKEN_SIGNATURE');
    });
    it('garbage', async () => expectRefused('eyJhbGciOiJSUzI1NiJ9.e30.', 'AUTH_TOKEN_CLAIMS'));
  });

  it('refuses own-issuer tokens with wrong claim types or missing claims even when properly signed', async () => {
    // Build correctly signed tokens with a rotated-in key we control through the ring itself.
    const ring = t.gatehouse.appDeps.keys;
    const { kid, key } = ring.signingKey();
    const iat = Math.floor(t.clock.now() / 1000);
    const base = { iss: ISSUER, sub: 'admin', isBot: false, tokenType: 'OM_USER', roles: [], iat, exp: iat + 600, jti: 'j1' };
    const signWith = (payload: Record<string, unknown>) => new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid }).sign(key);
    const code = async (payload: Record<string, unknown>) => (await me(await signWith(payload))).json().code;
    expect((await me(await signWith(base))).statusCode).toBe(200);
    expect(await code({ ...base, isBot: 'false' })).toBe('AUTH_TOKEN_CLAIMS');
    expect(await code({ ...base, roles: 'Admin' })).toBe('AUTH_TOKEN_CLAIMS');
    expect(await code({ ...base, tokenType: 'SUPER' })).toBe('AUTH_TOKEN_CLAIMS');
    expect(await code({ ...base, jti: undefined })).toBe('AUTH_TOKEN_CLAIMS');
    expect(await code({ ...base, exp: undefined })).toBe('AUTH_TOKEN_CLAIMS');
    expect(await code({ ...base, nbf: iat + 120 })).toBe('AUTH_TOKEN_NOT_YET_VALID');
    expect(await code({ ...base, iat: iat + 120 })).toBe('AUTH_TOKEN_NOT_YET_VALID');
    expect(await code({ ...base, sub: 'nobody' })).toBe('AUTH_TOKEN_REVOKED');
    // A bot token never on record (forged with the real key, e.g. by a leaked key) is refused too.
    expect(await code({ ...base, sub: 'ingestion-bot', isBot: true, tokenType: 'BOT' })).toBe('AUTH_TOKEN_REVOKED');
  });

  it('rotation keeps old tokens working until the old key is retired', async () => {
    const bot = await newBot();
    const token = (await botToken(bot.botUser.id, '7')).JWTToken;
    const oldKid = decodeProtectedHeader(token).kid as string;
    const rotated = await t.call({ method: 'POST', url: '/api/v1/system/keys/rotate', token: admin });
    expect(rotated.statusCode).toBe(200);
    const newKid = rotated.json().kid;
    expect((await jwks()).keys.map((k) => k.kid).sort()).toEqual([oldKid, newKid].sort());
    expect((await me(token)).statusCode).toBe(200);
    const list = (await t.call({ method: 'GET', url: '/api/v1/system/keys', token: admin })).json().data;
    expect(list.find((k: { kid: string }) => k.kid === oldKid)).toMatchObject({ status: 'retiring' });
    const retireActive = await t.call({ method: 'POST', url: `/api/v1/system/keys/${newKid}/retire`, token: admin });
    expect(retireActive.json().code).toBe('KEY_ACTIVE');
    await t.call({ method: 'POST', url: `/api/v1/system/keys/${oldKid}/retire`, token: admin });
    expect((await jwks()).keys.map((k) => k.kid)).toEqual([newKid]);
    // The verified-token cache must not keep a retired key's token alive.
    const after = await me(token);
    expect(after.statusCode).toBe(401);
  });
});
