import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { exportJWK, SignJWT } from 'jose';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/index.js';
import { startTestApp, type TestApp, USER_PASSWORD } from '../support/test-app.js';

const ISSUER = 'open-metadata.org';
const URL_ = '/api/v1/tokens/introspect';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('POST /api/v1/tokens/introspect (RFC 7662)', () => {
  let t: TestApp;
  let jwksServer: Server | undefined;
  afterEach(async () => {
    await t.close();
    await new Promise((resolve) => (jwksServer ? jwksServer.close(resolve) : resolve(undefined)));
    jwksServer = undefined;
  });

  async function start(env: Record<string, string> = {}) {
    t = await startTestApp(env);
    return t.adminToken();
  }
  async function botToken(admin: string, name: string, roles: string[], expiry = '7') {
    const bot = await t.call({ method: 'POST', url: '/api/v1/bots', token: admin, payload: { name, roles } });
    expect(bot.statusCode).toBe(201);
    const botUserId = bot.json<{ botUser: { id: string } }>().botUser.id;
    const res = await t.call({ method: 'PUT', url: `/api/v1/users/generateToken/${botUserId}`, token: admin, payload: { JWTTokenExpiry: expiry } });
    expect(res.statusCode).toBe(200);
    return { botUserId, token: res.json<{ JWTToken: string }>().JWTToken };
  }
  /** A caller holding only the TokenIntrospector role, with a week-long token (survives advancing the clock an hour). */
  const introspector = (admin: string) => botToken(admin, 'catalog-checker', ['TokenIntrospector']).then((b) => b.token);
  const introspect = (caller: string | undefined, token: string, form = true) =>
    t.call({ method: 'POST', url: URL_, ...(caller ? { token: caller } : {}), ...(form ? { headers: FORM, payload: new URLSearchParams({ token }).toString() } : { payload: { token } }) });
  const inactive = async (caller: string, token: string) => {
    const res = await introspect(caller, token);
    expect(res.statusCode).toBe(200);
    // The whole answer, byte for byte: no reason, no hint of why.
    expect(res.body).toBe('{"active":false}');
  };

  it('needs an authenticated caller with token:introspect (or an administrator)', async () => {
    const admin = await start();
    const subject = await botToken(admin, 'etl-bot', ['IngestionBotRole']);
    const none = await introspect(undefined, subject.token);
    expect([none.statusCode, none.json().code]).toEqual([401, 'AUTH_REQUIRED']);
    const bad = await introspect('not-a-jwt', subject.token);
    expect(bad.statusCode).toBe(401);
    // The ingestion bot's role does not include introspection (least privilege): 403.
    const ingestion = await introspect(subject.token, subject.token);
    expect([ingestion.statusCode, ingestion.json().code]).toEqual([403, 'FORBIDDEN']);
    const human = await t.userToken('henry', { roles: ['DataSteward'] });
    expect((await introspect(human.token, subject.token)).statusCode).toBe(403);
    expect((await introspect(admin, subject.token)).json()).toMatchObject({ active: true, username: 'etl-bot' });
    expect((await introspect(await introspector(admin), subject.token)).json()).toMatchObject({ active: true });
    // A person with the role may introspect through a personal token limited to just that permission.
    const checker = await t.userToken('ivy', { roles: ['TokenIntrospector'] });
    const pat = await t.call({ method: 'PUT', url: '/api/v1/users/security/token', token: checker.token, payload: { tokenName: 'svc', JWTTokenExpiry: '7', scopes: ['token:introspect'] } });
    expect((await introspect(pat.json<{ JWTToken: string }>().JWTToken, subject.token)).json()).toMatchObject({ active: true });
  });

  it('describes active bot, personal (scoped) and user tokens, form-encoded or JSON', async () => {
    const admin = await start();
    const caller = await introspector(admin);
    const bot = await botToken(admin, 'etl-bot', ['IngestionBotRole'], '30');
    const now = Math.floor(t.clock.now() / 1000);
    const botAnswer = await introspect(caller, bot.token);
    expect(botAnswer.headers['cache-control']).toBe('no-store');
    expect(botAnswer.json()).toStrictEqual({
      active: true, sub: 'etl-bot', username: 'etl-bot', token_type: 'Bearer', iss: ISSUER, iat: now, exp: now + 30 * 86_400,
      jti: expect.any(String), roles: ['IngestionBotRole'], isBot: true, tokenType: 'BOT',
    });
    expect((await introspect(caller, bot.token, false)).json()).toStrictEqual(botAnswer.json());

    const henry = await t.userToken('henry', { roles: ['DataSteward'] });
    const user = (await introspect(caller, henry.token, false)).json();
    expect(user).toMatchObject({ active: true, sub: 'henry', username: 'henry', email: 'henry@example.com', roles: ['DataSteward'], isBot: false, tokenType: 'OM_USER', exp: now + 3600 });
    expect(user).not.toHaveProperty('scope');

    const pat = await t.call({ method: 'PUT', url: '/api/v1/users/security/token', token: henry.token, payload: { tokenName: 'reports', JWTTokenExpiry: 'Unlimited', scopes: ['read-only'] } });
    const personal = (await introspect(caller, pat.json<{ JWTToken: string }>().JWTToken)).json();
    expect(personal).toMatchObject({ active: true, username: 'henry', tokenType: 'PERSONAL_ACCESS', scope: 'entity:view user:view', isBot: false });
    expect(personal).not.toHaveProperty('exp');
  });

  it('reads the form as RFC 6749 does: the hint is accepted, a repeated or missing token is a 400', async () => {
    const admin = await start();
    const caller = await introspector(admin);
    const body = (params: string) => t.call({ method: 'POST', url: URL_, token: caller, headers: FORM, payload: params });
    expect((await body(`token=${caller}&token_type_hint=access_token`)).json()).toMatchObject({ active: true, username: 'catalog-checker' });
    expect((await body(`token=${caller}&token=garbage`)).json().code).toBe('REQUEST_INVALID');
    expect((await body('token_type_hint=access_token')).statusCode).toBe(400);
    expect((await body(`token=${caller}&client_secret=x`)).statusCode).toBe(400);
    // Bigger than any token the bearer path accepts plus its parameters: refused before parsing.
    expect((await body(`token=${'A'.repeat(21_000)}`)).statusCode).toBe(413);
    // The OpenAPI description comes from the route's schema: both encodings, and a closed answer (nothing else is sent).
    const described = (await t.call({ method: 'GET', url: '/api/v1/docs' })).json().paths[URL_].post;
    expect(Object.keys(described.requestBody.content).sort()).toEqual(['application/json', 'application/x-www-form-urlencoded']);
    expect(described.responses['200'].content['application/json'].schema).toMatchObject({ additionalProperties: false });
  });

  it('answers { active: false } for every token the API would refuse, and never says why', async () => {
    const admin = await start();
    const caller = await introspector(admin);
    const inactiveKinds: [string, string][] = [];

    // Revoked: a bot's token replaced by a new one, and one revoked outright.
    const bot = await botToken(admin, 'etl-bot', ['IngestionBotRole']);
    const replaced = bot.token;
    const current = (await t.call({ method: 'PUT', url: `/api/v1/users/generateToken/${bot.botUserId}`, token: admin, payload: { JWTTokenExpiry: '7' } })).json<{ JWTToken: string }>().JWTToken;
    inactiveKinds.push(['replaced', replaced]);
    expect((await introspect(caller, current)).json().active).toBe(true);
    expect((await t.call({ method: 'PUT', url: '/api/v1/users/revokeToken', token: admin, payload: { id: bot.botUserId } })).statusCode).toBe(200);
    inactiveKinds.push(['revoked', current]);

    // Forged: the signature does not verify.
    const henry = await t.userToken('henry');
    inactiveKinds.push(['forged', `${henry.token.slice(0, -6)}AAAAAA`]);
    // Another issuer, signed with a key Gatehouse does not know.
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const iat = Math.floor(t.clock.now() / 1000);
    inactiveKinds.push(['other issuer', await new SignJWT({ sub: 'henry', email: 'henry@example.com', jti: 'x' }).setProtectedHeader({ alg: 'RS256', kid: 'k' }).setIssuer('https://evil.example.com').setIssuedAt(iat).setExpirationTime(iat + 600).sign(privateKey)]);
    // Own issuer name but a key Gatehouse does not have (unknown kid).
    inactiveKinds.push(['unknown key', await new SignJWT({ sub: 'henry', isBot: false, tokenType: 'OM_USER', roles: [], jti: 'y' }).setProtectedHeader({ alg: 'RS256', kid: 'k' }).setIssuer(ISSUER).setIssuedAt(iat).setExpirationTime(iat + 600).sign(privateKey)]);
    // Garbage and oversize.
    inactiveKinds.push(['garbage', 'not a token'], ['three dots', 'a.b.c'], ['too long', `${henry.token}${'A'.repeat(16_384)}`]);

    // Ended sign-in: logout ends the access token's sign-in.
    const pair = (await t.login('henry', USER_PASSWORD)).json<{ accessToken: string }>();
    expect((await introspect(caller, pair.accessToken)).json().active).toBe(true);
    expect((await t.call({ method: 'POST', url: '/api/v1/users/logout', payload: { token: pair.accessToken, username: 'henry' } })).statusCode).toBe(200);
    inactiveKinds.push(['ended sign-in', pair.accessToken]);

    // Deactivated user: every token of theirs dies.
    const gina = await t.userToken('gina');
    expect((await introspect(caller, gina.token)).json().active).toBe(true);
    expect((await t.call({ method: 'PATCH', url: `/api/v1/users/${gina.id}`, token: admin, payload: { disabled: true } })).statusCode).toBe(200);
    inactiveKinds.push(['deactivated user', gina.token]);

    for (const [kind, token] of inactiveKinds) {
      // The API refuses the token as a bearer token too (the two verdicts are one); garbage cannot even be a header.
      if (kind !== 'garbage') expect((await t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', token })).statusCode, kind).toBe(401);
      await inactive(caller, token);
    }
  });

  it('writes no token into the log (even at trace level) or the audit record', async () => {
    const admin = await start();
    const caller = await introspector(admin);
    const henry = await t.userToken('henry');
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString('utf8')), done()) });
    const app = await buildApp(t.gatehouse.appDeps, { loggerInstance: pino({ level: 'trace' }, sink) });
    try {
      const forged = `${henry.token.slice(0, -6)}AAAAAA`;
      const send = (payload: string) => app.inject({ method: 'POST', url: URL_, headers: { ...FORM, authorization: `Bearer ${caller}` }, payload });
      expect((await send(`token=${henry.token}`)).json()).toMatchObject({ active: true });
      expect((await send(`token=${forged}`)).json()).toStrictEqual({ active: false });
      expect((await send(`token=${forged}&token=${henry.token}`)).statusCode).toBe(400);
      expect(lines.length).toBeGreaterThan(0);
      const signatures = [henry.token, forged].map((token) => token.split('.')[2] as string);
      for (const signature of signatures) expect(lines.filter((line) => line.includes(signature))).toEqual([]);
      const audit = JSON.stringify(await t.gatehouse.services.audit.list({ limit: 200, offset: 0 }));
      for (const signature of signatures) expect(audit).not.toContain(signature);
    } finally {
      await app.close();
    }
  });

  it('an expired token is inactive (frozen clock moved past exp and the skew)', async () => {
    const admin = await start();
    const caller = await introspector(admin);
    const henry = await t.userToken('henry');
    expect((await introspect(caller, henry.token)).json().active).toBe(true);
    t.clock.advance(3600_000 + 61_000);
    await inactive(caller, henry.token);
    expect((await introspect(caller, caller)).json().active).toBe(true);
  });

  it('introspects a trusted external issuer\'s token like the API accepts it', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'idp-1', alg: 'RS256', use: 'sig' };
    jwksServer = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => jwksServer?.listen(0, '127.0.0.1', resolve));
    const issuer = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/idp`;
    const admin = await start({ AUTHENTICATION_PUBLIC_KEYS: `[${issuer}/certs]` });
    const caller = await introspector(admin);
    await t.userToken('henry', { roles: ['DataConsumer'] });
    const iat = Math.floor(t.clock.now() / 1000);
    const idToken = (sub: string, email: string) => new SignJWT({ email, azp: 'catalog-ui' }).setProtectedHeader({ alg: 'RS256', kid: 'idp-1' })
      .setIssuer(issuer).setSubject(sub).setAudience('catalog-ui').setIssuedAt(iat).setExpirationTime(iat + 600).sign(privateKey);
    const known = await idToken('00u-henry', 'henry@example.com');
    expect((await t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', token: known })).statusCode).toBe(200);
    expect((await introspect(caller, known)).json()).toStrictEqual({
      active: true, sub: '00u-henry', username: 'henry', token_type: 'Bearer', iss: issuer, iat, exp: iat + 600, client_id: 'catalog-ui',
      email: 'henry@example.com', roles: ['DataConsumer'], isBot: false, tokenType: 'EXTERNAL',
    });
    // Signed by the trusted issuer, but for nobody Gatehouse knows: the API refuses it, so it is inactive.
    await inactive(caller, await idToken('00u-zed', 'zed@example.com'));
  });
});
