import * as oidc from 'openid-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningDevIdp } from '../../src/devidp/index.js';
import { CookieClient } from '../support/cookie-jar.js';
import { ALICE, authorizationUrl, BOB, browse, CALLBACK, formAction, relyingParty, SECRET, signIn, startTestIdp } from './support.js';

let idp: RunningDevIdp | undefined;
afterEach(async () => {
  await idp?.close();
  idp = undefined;
});

async function loginPage(rp: oidc.Configuration, browser = new CookieClient(), extra: Record<string, string> = {}) {
  const started = await authorizationUrl(rp, { extra });
  const page = await browser.follow(started.url, {}, { stopAt: (u) => u.startsWith(CALLBACK) });
  return { ...started, browser, page, html: page.stopped ? '' : await page.response.text() };
}

function callbackParams(url: string): URLSearchParams {
  expect(url.startsWith(CALLBACK)).toBe(true);
  return new URL(url).searchParams;
}

describe('the login form', () => {
  it('refuses a wrong password and an unknown user with the same message, then accepts the right password', async () => {
    idp = await startTestIdp();
    const rp = await relyingParty(idp, 'none');
    const { browser, page, html, verifier, state, nonce } = await loginPage(rp);
    const action = formAction(html, page.url);
    for (const attempt of [{ username: 'alice', password: 'wrong' }, { username: 'alice', password: '' }, { username: 'nobody', password: ALICE.password }, { username: 'bob', password: ALICE.password }]) {
      const answer = await browser.request(action, { form: attempt });
      expect(answer.status).toBe(400);
      expect(answer.headers.get('location')).toBeNull();
      expect(await answer.text()).toContain('<p class="error" role="alert" id="error">Wrong user name or password.</p>');
    }
    const ok = await browser.follow(action, { form: { username: 'alice', password: ALICE.password } }, { stopAt: (u) => u.startsWith(CALLBACK) });
    expect(ok.stopped).toBe(true);
    const tokens = await oidc.authorizationCodeGrant(rp, new URL(ok.url), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    expect(tokens.claims()?.sub).toBe(ALICE.sub);
  });

  it('is an accessible, labelled form marked as a development tool, with headers that forbid framing and scripts', async () => {
    idp = await startTestIdp();
    const { page, html } = await loginPage(await relyingParty(idp, 'none'));
    expect(page.url).toMatch(new RegExp(`^${idp.issuer}/interaction/[A-Za-z0-9_-]+$`));
    expect(html).toContain('<label for="username">');
    expect(html).toContain('<input id="username" name="username"');
    expect(html).toContain('<label for="password">Password</label><input id="password" name="password" type="password"');
    expect(html).toContain('<button type="submit">Sign in</button>');
    expect(html).toContain('Gatehouse development IdP - not for production');
    expect(html).toContain('<html lang="en">');
    expect(html).not.toMatch(/<script/i);
    expect(page.response.headers.get('x-frame-options')).toBe('DENY');
    expect(page.response.headers.get('cache-control')).toBe('no-store');
    expect(page.response.headers.get('content-security-policy')).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
  });

  it('escapes what it echoes back (the user name) and what it shows (client ids, error descriptions)', async () => {
    idp = await startTestIdp();
    const rp = await relyingParty(idp, 'none');
    const { browser, page, html } = await loginPage(rp);
    const hostile = '"><script>alert(1)</script><img src=x onerror=alert(2)>';
    const answer = await (await browser.request(formAction(html, page.url), { form: { username: hostile, password: 'x' } })).text();
    expect(answer).not.toContain('<script>alert(1)');
    expect(answer).not.toContain('<img src=x');
    expect(answer).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"');

    const unknownClient = new URL(`${idp.issuer}/auth`);
    unknownClient.search = new URLSearchParams({ client_id: '<b>evil</b>', redirect_uri: CALLBACK, response_type: 'code', scope: 'openid' }).toString();
    const errorPage = await fetch(unknownClient, { redirect: 'manual' });
    expect(errorPage.status).toBe(400);
    const text = await errorPage.text();
    expect(text).toContain('invalid_client');
    expect(text).not.toContain('<b>evil</b>');
  });

  it('refuses a form sent without the browser\'s interaction cookie, a non-form body and an oversized one', async () => {
    idp = await startTestIdp();
    const { page, html } = await loginPage(await relyingParty(idp, 'none'));
    const action = formAction(html, page.url);
    const stranger = await new CookieClient().request(action, { form: { username: 'alice', password: ALICE.password } });
    expect(stranger.status).toBe(400);
    expect(stranger.headers.get('location')).toBeNull();
    const own = await loginPage(await relyingParty(idp, 'none'));
    const target = formAction(own.html, own.page.url);
    expect((await own.browser.request(target, { json: { username: 'alice', password: ALICE.password } })).status).toBe(415);
    expect((await own.browser.request(target, { form: { username: 'alice', password: 'x'.repeat(20_000) } })).status).toBe(413);
    // The same browser, with a proper form, still signs in: the refusals did not spend the sign-in attempt.
    const ok = await own.browser.follow(target, { form: { username: 'alice', password: ALICE.password } }, { stopAt: (u) => u.startsWith(CALLBACK) });
    expect(ok.stopped).toBe(true);
  });

  it('shows the login form again for a live IdP session whose user was removed, and for OneLogin\'s re-auth acr value', async () => {
    idp = await startTestIdp();
    const rp = await relyingParty(idp, 'none');
    const browser = new CookieClient();
    await signIn(rp, BOB, { browser });
    const reauth = await loginPage(rp, browser, { acr_values: 'onelogin:nist:level:1:re-auth' });
    expect(reauth.page.stopped).toBe(false);
    expect(reauth.html).toContain('id="password"');

    const aliceBrowser = new CookieClient();
    await signIn(rp, ALICE, { browser: aliceBrowser });
    expect((await loginPage(rp, aliceBrowser)).page.stopped).toBe(true);
    idp.disableUser(ALICE.sub);
    const again = await loginPage(rp, aliceBrowser);
    expect(again.page.stopped).toBe(false);
    expect(again.html).toContain('id="password"');
  });
});

describe('authorization and token requests', () => {
  it('requires PKCE S256 from a public client: missing or plain challenges are sent back as invalid_request', async () => {
    idp = await startTestIdp();
    const rp = await relyingParty(idp, 'none');
    const browser = new CookieClient();
    const missing = await authorizationUrl(rp, { pkce: false });
    const refused = callbackParams(await browse(browser, missing.url, ALICE));
    expect(refused.get('error')).toBe('invalid_request');
    expect(refused.get('code')).toBeNull();
    const plain = await authorizationUrl(rp, { pkce: false, extra: { code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' } });
    expect(callbackParams(await browse(browser, plain.url, ALICE)).get('error')).toBe('invalid_request');
  });

  it('refuses a wrong code_verifier, and a code used twice', async () => {
    idp = await startTestIdp();
    const rp = await relyingParty(idp, 'none');
    const started = await authorizationUrl(rp);
    const callback = new URL(await browse(new CookieClient(), started.url, ALICE));
    const wrong = oidc.authorizationCodeGrant(rp, callback, { pkceCodeVerifier: oidc.randomPKCECodeVerifier(), expectedState: started.state });
    await expect(wrong).rejects.toMatchObject({ error: 'invalid_grant' });
    // The failed attempt consumed nothing it should not have; the right verifier still works once.
    await oidc.authorizationCodeGrant(rp, callback, { pkceCodeVerifier: started.verifier, expectedState: started.state, expectedNonce: started.nonce });
    const replay = oidc.authorizationCodeGrant(rp, callback, { pkceCodeVerifier: started.verifier, expectedState: started.state, expectedNonce: started.nonce });
    await expect(replay).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('lets a confidential client go without PKCE (optional there, as in OneLogin)', async () => {
    idp = await startTestIdp();
    const rp = await relyingParty(idp, 'client_secret_basic');
    const started = await authorizationUrl(rp, { pkce: false });
    const callback = new URL(await browse(new CookieClient(), started.url, BOB));
    const tokens = await oidc.authorizationCodeGrant(rp, callback, { expectedState: started.state, expectedNonce: started.nonce });
    expect(tokens.claims()?.sub).toBe(BOB.sub);
  });

  it('shows an error page (never a redirect) for an unregistered or missing redirect_uri', async () => {
    idp = await startTestIdp();
    const rp = await relyingParty(idp, 'none');
    for (const change of [(u: URL) => u.searchParams.set('redirect_uri', 'http://attacker.example/callback'), (u: URL) => u.searchParams.set('redirect_uri', `${CALLBACK}/extra`), (u: URL) => u.searchParams.delete('redirect_uri')]) {
      const { url } = await authorizationUrl(rp);
      change(url);
      const answer = await fetch(url, { redirect: 'manual' });
      expect(answer.status).toBe(400);
      expect(answer.headers.get('location')).toBeNull();
      expect(await answer.text()).toMatch(/invalid_redirect_uri|missing required parameter &#39;redirect_uri&#39;/);
    }
  });

  it('holds each client to its token endpoint method and secret', async () => {
    idp = await startTestIdp();
    const basicAsPost = await relyingParty(idp, 'client_secret_basic', 'client_secret_post');
    const started = await authorizationUrl(basicAsPost);
    const callback = new URL(await browse(new CookieClient(), started.url, ALICE));
    await expect(oidc.authorizationCodeGrant(basicAsPost, callback, { pkceCodeVerifier: started.verifier, expectedState: started.state }))
      .rejects.toMatchObject({ error: 'invalid_client' });

    const wrongSecret = await oidc.discovery(new URL(idp.issuer), 'rp-post', undefined, oidc.ClientSecretPost(`${SECRET}x`), { execute: [oidc.allowInsecureRequests] });
    await expect(oidc.tokenIntrospection(wrongSecret, 'anything')).rejects.toMatchObject({ error: 'invalid_client' });

    // A public client that sends a secret anyway is refused, as OneLogin refuses credentials sent the wrong way.
    const { tokens } = await signIn(await relyingParty(idp, 'none'), ALICE);
    const withSecret = await fetch(`${idp.issuer}/token`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token ?? '', client_id: 'rp-public', client_secret: 'guess' }),
    });
    expect(withSecret.status).toBe(401);
  });

  it('introspection shows a client only its own tokens, and a removed user\'s tokens as inactive', async () => {
    idp = await startTestIdp();
    const basic = await relyingParty(idp, 'client_secret_basic');
    const post = await relyingParty(idp, 'client_secret_post');
    const { tokens } = await signIn(basic, ALICE);
    expect(await oidc.tokenIntrospection(basic, tokens.access_token)).toMatchObject({ active: true });
    expect(await oidc.tokenIntrospection(post, tokens.access_token)).toEqual({ active: false });
    idp.disableUser(ALICE.sub);
    expect(await oidc.tokenIntrospection(basic, tokens.access_token)).toEqual({ active: false });
  });
});
