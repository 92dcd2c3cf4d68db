import { randomUUID } from 'node:crypto';
import type { JWTPayload } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKCHANNEL_LOGOUT_EVENT } from '../../src/sso/index.js';
import { CLIENT_ID, startHarness, type Harness } from './harness.js';

const client = { ip: '192.0.2.10', userAgent: 'Firefox' };

describe('back-channel logout', () => {
  let h: Harness;
  let claims: () => JWTPayload;
  beforeEach(async () => {
    h = await startHarness();
    claims = () => ({
      iss: h.idp.issuer, aud: CLIENT_ID, iat: Math.floor(h.clock.now() / 1000), jti: randomUUID(),
      events: { [BACKCHANNEL_LOGOUT_EVENT]: {} }, sid: 'op-sid-1', sub: 'user-123',
    });
  });
  afterEach(async () => {
    await h.close();
  });

  async function signIn(sid: string) {
    h.idp.behaviour.sid = sid;
    const { started, callbackUrl } = await h.authorize();
    return h.sso.finishSignIn({ transactionId: started.transactionId, callbackUrl, client });
  }

  it('ends the sessions with the sid; a replayed token is refused', async () => {
    const a = await signIn('op-sid-1');
    const b = await signIn('op-sid-2');
    const token = await h.idp.sign(claims(), { typ: 'logout+jwt' });
    const { ended } = await h.sso.backchannelLogout('onelogin', token);
    expect(ended.map((e) => e.id)).toEqual([a.session.id]);
    expect(await h.sso.resumeSession(a.secret)).toBeUndefined();
    expect(await h.sso.resumeSession(b.secret)).toBeDefined();
    await expect(h.sso.backchannelLogout('onelogin', token)).rejects.toMatchObject({ code: 'SSO_LOGOUT_TOKEN_INVALID', internal: { reason: 'jti replayed' } });
  });

  it.each([['JWT'], ['application/jwt'], [undefined]])('accepts typ %s (Keycloak, glewlwyd) with every other rule kept', async (typ) => {
    const a = await signIn('op-sid-1');
    const token = await h.idp.sign(claims(), typ === undefined ? {} : { typ });
    expect((await h.sso.backchannelLogout('onelogin', token)).ended.map((e) => e.id)).toEqual([a.session.id]);
    await expect(h.sso.backchannelLogout('onelogin', token)).rejects.toMatchObject({ code: 'SSO_LOGOUT_TOKEN_INVALID', internal: { check: 'jti' } });
  });

  it('picks the provider by the token\'s issuer when none is named; an unknown issuer is refused', async () => {
    const a = await signIn('op-sid-1');
    expect(await h.sso.backchannelLogout(undefined, await h.idp.sign(claims()))).toMatchObject({ providerId: 'onelogin', ended: [{ id: a.session.id }] });
    const foreign = await h.idp.sign({ ...claims(), iss: 'https://evil.example.com/oidc/2' });
    await expect(h.sso.backchannelLogout(undefined, foreign)).rejects.toMatchObject({ code: 'SSO_LOGOUT_TOKEN_INVALID', internal: { check: 'issuer' } });
    await expect(h.sso.backchannelLogout(undefined, 'garbage')).rejects.toMatchObject({ code: 'SSO_LOGOUT_TOKEN_INVALID' });
  });

  it('without sid, ends every session of the subject', async () => {
    const a = await signIn('op-sid-1');
    const b = await signIn('op-sid-2');
    const { sid: _sid, ...bySubject } = claims();
    const { ended } = await h.sso.backchannelLogout('onelogin', await h.idp.sign(bySubject));
    expect(ended.map((e) => e.id).sort()).toEqual([a.session.id, b.session.id].sort());
  });

  const invalid: [string, (c: JWTPayload) => JWTPayload, Record<string, unknown>?, ('wrong-key' | 'unknown-kid')?][] = [
    ['another issuer', (c) => ({ ...c, iss: 'https://evil.example.com/oidc/2' })],
    ['another audience', (c) => ({ ...c, aud: 'other-client' })],
    ['no events', (c) => ({ ...c, events: undefined })],
    ['another event', (c) => ({ ...c, events: { 'http://schemas.openid.net/event/other': {} } })],
    ['the event as a string', (c) => ({ ...c, events: { [BACKCHANNEL_LOGOUT_EVENT]: 'yes' } })],
    ['a nonce (an ID token replayed as a logout token)', (c) => ({ ...c, nonce: 'n' })],
    ['no jti', (c) => ({ ...c, jti: undefined })],
    ['neither sid nor sub', (c) => ({ ...c, sid: undefined, sub: undefined })],
    ['no iat', (c) => ({ ...c, iat: undefined })],
    ['an old iat', (c) => ({ ...c, iat: (c.iat ?? 0) - 3600 })],
    ['an iat in the future', (c) => ({ ...c, iat: (c.iat ?? 0) + 3600 })],
    ['an expired exp', (c) => ({ ...c, exp: (c.iat ?? 0) - 120 })],
    ['a wrong typ (an access token)', (c) => c, { typ: 'at+jwt' }],
    ['typ JWT but a nonce (an ID token)', (c) => ({ ...c, nonce: 'n' }), { typ: 'JWT' }],
    ['a signature by another key', (c) => c, {}, 'wrong-key'],
    ['an unknown kid', (c) => c, {}, 'unknown-kid'],
  ];
  it.each(invalid)('refuses a token with %s and ends nothing', async (_name, mutate, header = {}, key = undefined) => {
    const done = await signIn('op-sid-1');
    const token = await h.idp.sign(mutate(claims()), header, key);
    await expect(h.sso.backchannelLogout('onelogin', token)).rejects.toMatchObject({ code: 'SSO_LOGOUT_TOKEN_INVALID' });
    expect(await h.sso.resumeSession(done.secret)).toBeDefined();
  });

  it('refuses alg none and garbage', async () => {
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const none = `${enc({ alg: 'none', typ: 'logout+jwt' })}.${enc(claims())}.`;
    for (const token of [none, 'garbage', '']) {
      await expect(h.sso.verifyLogoutToken('onelogin', token)).rejects.toMatchObject({ code: 'SSO_LOGOUT_TOKEN_INVALID' });
    }
  });

  it('remembers jtis only while the token could be valid (bounded store)', async () => {
    await h.sso.verifyLogoutToken('onelogin', await h.idp.sign(claims()));
    expect(await h.db.db.selectFrom('logout_token_jtis').select('jti').execute()).toHaveLength(1);
    h.clock.advance(15 * 60_000);
    expect((await h.sso.sweep()).logoutTokens).toBe(1);
  });
});
