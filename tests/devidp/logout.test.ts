import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import * as oidc from 'openid-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningDevIdp } from '../../src/devidp/index.js';
import { CookieClient } from '../support/cookie-jar.js';
import { ALICE, authorizationUrl, CALLBACK, formAction, hiddenInputs, relyingParty, SIGNED_OUT, signIn, startTestIdp } from './support.js';

let idp: RunningDevIdp | undefined;
let receiver: Server | undefined;
afterEach(async () => {
  await idp?.close();
  idp = undefined;
  receiver?.closeAllConnections();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  receiver = undefined;
});

/** The RP's back-channel logout endpoint: records the logout_token of each POST. */
async function startReceiver(): Promise<{ url: string; tokens: string[] }> {
  const tokens: string[] = [];
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      tokens.push(new URLSearchParams(body).get('logout_token') ?? '');
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver?.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/v1/auth/backchannel-logout`, tokens };
}

/** Follows the RP's end-session URL in the browser and confirms on the IdP's page; returns where the browser ends. */
async function logOut(browser: CookieClient, endSession: URL): Promise<{ url: string; stopped: boolean; status: number }> {
  const page = await browser.follow(endSession);
  expect(page.response.status).toBe(200);
  const html = await page.response.text();
  expect(html).toContain('Yes, sign me out');
  const done = await browser.follow(formAction(html, page.url), { form: { ...hiddenInputs(html), logout: 'yes' } }, { stopAt: (u) => u.startsWith(SIGNED_OUT) });
  return { url: done.url, stopped: done.stopped, status: done.response.status };
}

describe('RP-initiated logout', () => {
  it('returns to the exact post_logout_redirect_uri with state and ends the IdP session', async () => {
    idp = await startTestIdp();
    const rp = await relyingParty(idp, 'none');
    const { tokens, browser } = await signIn(rp, ALICE);
    const endSession = oidc.buildEndSessionUrl(rp, { id_token_hint: tokens.id_token ?? '', post_logout_redirect_uri: SIGNED_OUT, state: 'back-to-signin' });
    expect(`${endSession.origin}${endSession.pathname}`).toBe(`${idp.issuer}/logout`);
    const done = await logOut(browser, endSession);
    expect(done.stopped).toBe(true);
    expect(done.url).toBe(`${SIGNED_OUT}?state=back-to-signin`);

    // The IdP session is gone: the next authorization request shows the login form instead of returning a code.
    const next = await browser.follow((await authorizationUrl(rp)).url, {}, { stopAt: (u) => u.startsWith(CALLBACK) });
    expect(next.stopped).toBe(false);
    expect(await next.response.text()).toContain('id="password"');
  });

  it('refuses a post_logout_redirect_uri that is not registered exactly, and one without id_token_hint', async () => {
    idp = await startTestIdp();
    const rp = await relyingParty(idp, 'none');
    const { tokens, browser } = await signIn(rp, ALICE);
    for (const uri of [`${SIGNED_OUT}/`, `${SIGNED_OUT}?next=/x`, 'http://attacker.example/signin']) {
      const answer = await browser.request(oidc.buildEndSessionUrl(rp, { id_token_hint: tokens.id_token ?? '', post_logout_redirect_uri: uri }));
      expect(answer.status).toBe(400);
      expect(answer.headers.get('location')).toBeNull();
      expect(await answer.text()).toContain('post_logout_redirect_uri');
    }
    const noHint = await browser.request(oidc.buildEndSessionUrl(rp, { post_logout_redirect_uri: SIGNED_OUT }));
    expect(noHint.status).toBe(400);
    expect(await noHint.text()).toContain('id_token_hint is required');
  });
});

describe('back-channel logout', () => {
  it('posts a signed logout token (iss, aud, sub, sid, event) to the client when the user logs out at the IdP', async () => {
    const rpEndpoint = await startReceiver();
    idp = await startTestIdp({ backchannel: rpEndpoint.url });
    const rp = await relyingParty(idp, 'client_secret_basic');
    const { tokens, claims, browser } = await signIn(rp, ALICE);
    expect(claims['sid']).toBeTruthy();
    const done = await logOut(browser, oidc.buildEndSessionUrl(rp, { id_token_hint: tokens.id_token ?? '', post_logout_redirect_uri: SIGNED_OUT }));
    expect(done.stopped).toBe(true);

    expect(rpEndpoint.tokens).toHaveLength(1);
    const jwks = createRemoteJWKSet(new URL(`${idp.issuer}/certs`));
    const { payload, protectedHeader } = await jwtVerify(rpEndpoint.tokens[0] ?? '', jwks, { issuer: idp.issuer, audience: 'rp-basic', algorithms: ['RS256'] });
    expect(protectedHeader.typ).toBe('logout+jwt');
    expect(payload).toMatchObject({ sub: ALICE.sub, sid: claims['sid'], events: { 'http://schemas.openid.net/event/backchannel-logout': {} } } satisfies JWTPayload);
    expect(payload).not.toHaveProperty('nonce');
    // The session's refresh token ended with the IdP session (it was issued without offline_access).
    await expect(oidc.refreshTokenGrant(rp, tokens.refresh_token ?? '')).rejects.toMatchObject({ error: 'invalid_grant' });
  });
});
