import { randomUUID } from 'node:crypto';
import type { JWTPayload } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { catalogue } from '../../src/errors/catalogue.js';
import { BACKCHANNEL_LOGOUT_EVENT } from '../../src/sso/index.js';
import { startHostileIdp, type HostileIdp, type HostileIdpOptions } from '../support/hostile-idp.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * How Gatehouse's HTTP face answers providers that behave like real ones do (Keycloak's logout tokens, providers that
 * need a logout state, refused refreshes, Basic credentials compared without URL-decoding) and what the browser is told.
 */
const PUBLIC_URL = 'http://127.0.0.1:8585';
const CLIENT_ID = 'gatehouse-http-client';
const SECRET = 'secret-with-symbols:+/=';
const CSRF = { 'x-requested-with': 'gatehouse', origin: PUBLIC_URL };

interface Stack {
  idp: HostileIdp;
  t: TestApp;
  close(): Promise<void>;
}

async function startStack(authMethod: HostileIdpOptions['authMethod'] = 'none'): Promise<Stack> {
  let t: TestApp | undefined;
  const confidential = authMethod !== 'none';
  const idp = await startHostileIdp({ clientId: CLIENT_ID, authMethod, now: () => t?.clock.now() ?? Date.now(), ...(confidential ? { clientSecret: SECRET } : {}) });
  t = await startTestApp({
    AUTHENTICATION_PROVIDER: 'custom-oidc', CUSTOM_OIDC_AUTHENTICATION_PROVIDER_NAME: 'OneLogin', AUTHENTICATION_AUTHORITY: idp.issuer,
    AUTHENTICATION_CLIENT_ID: CLIENT_ID, AUTHENTICATION_CALLBACK_URL: `${PUBLIC_URL}/callback`, OIDC_SCOPE: 'openid email profile',
    ...(confidential ? { AUTHENTICATION_CLIENT_TYPE: 'confidential', OIDC_CLIENT_SECRET: SECRET, OIDC_CLIENT_AUTH_METHOD: authMethod } : {}),
  });
  t.clock.set(Date.now());
  const app = t;
  return { idp, t: app, close: async () => { await app.close(); await idp.close(); } };
}

const cookieOf = (res: { cookies: { name: string; value: string }[] }, name: string) => res.cookies.find((c) => c.name === name)?.value;

/** Login -> provider -> callback through inject(); returns the callback's answer and the session cookie, if any. */
async function signIn(s: Stack, before?: (callbackUrl: string) => Promise<void>) {
  const start = await s.t.call({ method: 'GET', url: '/api/v1/auth/login?redirectUri=/profile' });
  expect(start.statusCode).toBe(302);
  const callbackUrl = await s.idp.authorize(String(start.headers.location));
  await before?.(callbackUrl);
  const tx = cookieOf(start, 'gatehouse_signin') ?? '';
  const callback = await s.t.call({ method: 'GET', url: `/callback${new URL(callbackUrl).search}`, cookies: { gatehouse_signin: tx } });
  return { callback, session: cookieOf(callback, 'gatehouse_session'), location: String(callback.headers.location) };
}

const me = (s: Stack, session: string) => s.t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', cookies: { gatehouse_session: session } });

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

describe('back-channel logout tokens as Keycloak, glewlwyd and others send them', () => {
  const logoutClaims = (s: Stack, extra: JWTPayload = {}): JWTPayload => ({
    iss: s.idp.issuer, aud: CLIENT_ID, iat: Math.floor(s.t.clock.now() / 1000), jti: randomUUID(), sub: 'user-123',
    events: { [BACKCHANNEL_LOGOUT_EVENT]: {} }, ...extra,
  });
  const post = (s: Stack, token: string) =>
    s.t.call({ method: 'POST', url: '/api/v1/auth/backchannel-logout', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `logout_token=${token}` });

  it.each([
    ['typ JWT', { typ: 'JWT' }],
    ['no typ', {}],
    ['typ logout+jwt', { typ: 'logout+jwt' }],
  ])('accepts a logout token with %s and ends the session', async (_name, header) => {
    stack = await startStack();
    const { session } = await signIn(stack);
    expect((await me(stack, session ?? '')).statusCode).toBe(200);
    const res = await post(stack, await stack.idp.sign(logoutClaims(stack), header));
    expect(res.statusCode).toBe(200);
    expect((await me(stack, session ?? '')).statusCode).toBe(401);
  });

  it.each([
    ['typ JWT but a nonce (an ID token)', { typ: 'JWT' }, { nonce: 'n-1' }],
    ['typ JWT but no events claim', { typ: 'JWT' }, { events: undefined }],
    ['typ at+jwt (an access token)', { typ: 'at+jwt' }, {}],
    ['no typ and an old iat', {}, { iat: Math.floor(Date.now() / 1000) - 3600 }],
  ])('still refuses %s', async (_name, header, extra) => {
    stack = await startStack();
    const { session } = await signIn(stack);
    const res = await post(stack, await stack.idp.sign(logoutClaims(stack, extra), header));
    expect(res.statusCode).toBe(400);
    expect((await me(stack, session ?? '')).statusCode).toBe(200);
  });

  it('a typ JWT token is accepted once (jti replay still refused)', async () => {
    stack = await startStack();
    await signIn(stack);
    const token = await stack.idp.sign(logoutClaims(stack), { typ: 'JWT' });
    expect((await post(stack, token)).statusCode).toBe(200);
    expect((await post(stack, token)).statusCode).toBe(400);
  });
});

describe('RP-initiated logout', () => {
  it('sends a fresh state to the provider; coming back with it lands on the signed-out page', async () => {
    stack = await startStack();
    const { session } = await signIn(stack);
    const out = await stack.t.call({ method: 'POST', url: '/api/v1/auth/logout', headers: CSRF, cookies: { gatehouse_session: session ?? '' } });
    const end = new URL(out.json<{ redirectTo: string }>().redirectTo);
    expect(`${end.origin}${end.pathname}`).toBe(`${stack.idp.issuer}/logout`);
    expect(end.searchParams.get('post_logout_redirect_uri')).toBe(`${PUBLIC_URL}/signin`);
    const state = end.searchParams.get('state') ?? '';
    expect(state).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    // Another logout gets another state (it is random, not a constant).
    const again = await signIn(stack);
    const out2 = await stack.t.call({ method: 'POST', url: '/api/v1/auth/logout', headers: CSRF, cookies: { gatehouse_session: again.session ?? '' } });
    expect(new URL(out2.json<{ redirectTo: string }>().redirectTo).searchParams.get('state')).not.toBe(state);
    // The provider sends the browser back to the post-logout URI with the state.
    const back = await stack.t.call({ method: 'GET', url: `/signin?state=${state}` });
    expect(back.statusCode).toBe(303);
    expect(back.headers.location).toBe('/signed-out');
    const page = await stack.t.call({ method: 'GET', url: '/signed-out' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    // Without a state, /signin is the sign-in page as before.
    expect((await stack.t.call({ method: 'GET', url: '/signin' })).headers.location).toBeUndefined();
  });

  it('a local logout (no provider session) goes straight to the signed-out page', async () => {
    stack = await startStack();
    const out = await stack.t.call({ method: 'POST', url: '/api/v1/auth/logout', headers: CSRF });
    expect(out.json()).toEqual({ redirectTo: '/signed-out' });
    const get = await stack.t.call({ method: 'GET', url: '/api/v1/auth/logout' });
    expect(get.statusCode).toBe(303);
    expect(get.headers.location).toBe('/signed-out');
  });
});

describe('a provider that refuses to refresh ends the session', () => {
  it.each([
    ['400 invalid_client', { refreshError: 'invalid_client' }],
    ['400 unauthorized_client', { refreshError: 'unauthorized_client' }],
    ['400 with an HTML body', { refreshRaw: { status: 400, body: '<html>Bad Request</html>' } }],
    ['200 with an HTML body', { refreshRaw: { status: 200, body: '<html>Please sign in</html>' } }],
  ])('%s: SSO_REFRESH_REFUSED, cookie cleared, session gone', async (_name, behaviour) => {
    stack = await startStack();
    const { session } = await signIn(stack);
    Object.assign(stack.idp.behaviour, behaviour);
    const res = await stack.t.call({ method: 'GET', url: '/api/v1/auth/refresh', cookies: { gatehouse_session: session ?? '' } });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'SSO_REFRESH_REFUSED', message: catalogue.SSO_REFRESH_REFUSED.message });
    expect(res.cookies.find((c) => c.name === 'gatehouse_session')?.value).toBe('');
    expect((await me(stack, session ?? '')).statusCode).toBe(401);
  });

  it.each([[502, 'Bad Gateway'], [429, 'Too Many Requests']])('a provider that is down or busy (%i HTML) keeps the session: SSO_PROVIDER_UNAVAILABLE', async (status, text) => {
    stack = await startStack();
    const { session } = await signIn(stack);
    stack.idp.behaviour.refreshRaw = { status, body: `<html>${text}</html>` };
    const res = await stack.t.call({ method: 'GET', url: '/api/v1/auth/refresh', cookies: { gatehouse_session: session ?? '' } });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: 'SSO_PROVIDER_UNAVAILABLE' });
    expect((await me(stack, session ?? '')).statusCode).toBe(200);
  });
});

describe('each single sign-on failure tells the browser what happened', () => {
  const failure = (location: string) => {
    const url = new URL(location, PUBLIC_URL);
    return { path: url.pathname, error: url.searchParams.get('error'), check: url.searchParams.get('check') };
  };

  it('a token endpoint that refuses URL-encoded Basic credentials: SSO_CODE_EXCHANGE_FAILED, whose fix names client_secret_post', async () => {
    stack = await startStack('client_secret_basic');
    expect((await signIn(stack)).session).toBeTypeOf('string'); // control: a provider that decodes them signs in
    stack.idp.behaviour.basicNotDecoded = true;
    const { callback, session, location } = await signIn(stack);
    expect(callback.statusCode).toBe(303);
    expect(session).toBeUndefined();
    expect(failure(location)).toEqual({ path: '/signin', error: 'SSO_CODE_EXCHANGE_FAILED', check: null });
    expect(catalogue.SSO_CODE_EXCHANGE_FAILED.fix).toContain('OIDC_CLIENT_AUTH_METHOD=client_secret_post');
  });

  it('the same provider with client_secret_post signs in (the suggested fix works)', async () => {
    stack = await startStack('client_secret_post');
    stack.idp.behaviour.basicNotDecoded = true;
    const { location, session } = await signIn(stack);
    expect(location).toBe('/profile');
    expect(session).toBeTypeOf('string');
  });

  it('an ID token with another nonce: SSO_NONCE_MISMATCH', async () => {
    stack = await startStack();
    stack.idp.behaviour.nonce = 'attacker-nonce';
    expect(failure((await signIn(stack)).location)).toEqual({ path: '/signin', error: 'SSO_NONCE_MISMATCH', check: null });
  });

  it.each([
    ['addressed to another client', { aud: 'someone-else' }, 'audience'],
    ['expired', { expOffsetSeconds: -600 }, 'expiry'],
    ['issued in the future', { iatOffsetSeconds: 3600, expOffsetSeconds: 7200 }, 'issued-at'],
    ['from another issuer', { iss: 'https://evil.example.com/oidc/2' }, 'issuer'],
    ['signed by another key', { sign: 'wrong-key' as const }, 'signature'],
    ['signed with HS256', { sign: 'hs256' as const }, 'algorithm'],
  ])('an ID token %s: SSO_ID_TOKEN_INVALID naming the check', async (_name, behaviour, check) => {
    stack = await startStack();
    Object.assign(stack.idp.behaviour, behaviour);
    expect(failure((await signIn(stack)).location)).toEqual({ path: '/signin', error: 'SSO_ID_TOKEN_INVALID', check });
  });

  it('a provider that stops answering before the code exchange: SSO_PROVIDER_UNAVAILABLE', async () => {
    stack = await startStack();
    const s = stack;
    const { location } = await signIn(s, () => s.idp.close());
    expect(failure(location)).toEqual({ path: '/signin', error: 'SSO_PROVIDER_UNAVAILABLE', check: null });
  });
});
