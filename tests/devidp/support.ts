import * as oidc from 'openid-client';
import { expect } from 'vitest';
import { hashPassword } from '../../src/crypto/index.js';
import { loadDevIdpConfig, startDevIdp, type DevIdpConfig, type RunningDevIdp } from '../../src/devidp/index.js';
import { CookieClient } from '../support/cookie-jar.js';

/** Nobody listens here: the browser stops at the redirect to it and the test hands the URL to the RP library. */
export const CALLBACK = 'http://127.0.0.1:8585/callback';
export const SIGNED_OUT = 'http://127.0.0.1:8585/signin';
export const SECRET = 'rp-test-secret-0123456789';
export const ALICE = { sub: '300001', username: 'alice', email: 'alice@example.com', password: 'alice-test-password' };
export const BOB = { sub: '300002', username: 'bob', email: 'bob@example.com', password: 'bob-test-password' };
/** Carol's password is stored only as an argon2id hash. */
export const CAROL = { sub: '300003', username: 'carol', email: 'carol@example.com', password: 'carol-hashed-password' };
export type Method = 'none' | 'client_secret_basic' | 'client_secret_post';
export const CLIENT_FOR: Record<Method, string> = { none: 'rp-public', client_secret_basic: 'rp-basic', client_secret_post: 'rp-post' };

let carolHash: Promise<string> | undefined;

/** Three clients (one per OneLogin token endpoint setting) and three users; `extra` merges into each client. */
export async function testConfig(options: { groupsFormat?: 'array' | 'semicolon'; backchannel?: string } = {}): Promise<DevIdpConfig> {
  carolHash ??= hashPassword(CAROL.password);
  const common = {
    redirect_uris: [CALLBACK], post_logout_redirect_uris: [SIGNED_OUT],
    ...(options.backchannel ? { backchannel_logout_uri: options.backchannel } : {}),
  };
  return loadDevIdpConfig({
    port: 0,
    groupsFormat: options.groupsFormat ?? 'array',
    clients: [
      { client_id: 'rp-public', token_endpoint_auth_method: 'none', ...common },
      { client_id: 'rp-basic', client_secret: SECRET, token_endpoint_auth_method: 'client_secret_basic', ...common },
      { client_id: 'rp-post', client_secret: SECRET, token_endpoint_auth_method: 'client_secret_post', ...common },
    ],
    users: [
      { sub: ALICE.sub, preferred_username: 'alice', email: ALICE.email, name: 'Alice Adams', given_name: 'Alice', family_name: 'Adams', groups: ['data-stewards', 'admins'], password: ALICE.password },
      { sub: BOB.sub, preferred_username: 'bob', email: BOB.email, name: 'Bob Brown', groups: ['data-consumers'], password: BOB.password },
      { sub: CAROL.sub, preferred_username: 'carol', email: CAROL.email, name: 'Carol Chen', groups: [], password_hash: await carolHash },
    ],
  });
}

export async function startTestIdp(options: Parameters<typeof testConfig>[0] = {}): Promise<RunningDevIdp> {
  return startDevIdp({ config: await testConfig(options), port: 0 });
}

/** The relying party, as Gatehouse would configure openid-client for a OneLogin app with this token endpoint setting. */
export async function relyingParty(idp: RunningDevIdp, method: Method, auth: Method = method): Promise<oidc.Configuration> {
  const clientAuth = auth === 'none' ? oidc.None() : auth === 'client_secret_basic' ? oidc.ClientSecretBasic(SECRET) : oidc.ClientSecretPost(SECRET);
  return oidc.discovery(new URL(idp.issuer), CLIENT_FOR[method], undefined, clientAuth, { execute: [oidc.allowInsecureRequests] });
}

/** The action URL of the first form in a page. */
export function formAction(html: string, base: string): string {
  const match = /<form[^>]*action="([^"]+)"/i.exec(html);
  if (!match?.[1]) throw new Error(`no form in page: ${html.slice(0, 200)}`);
  return new URL(match[1].replace(/&amp;/g, '&'), base).toString();
}

/** Hidden inputs of a page's forms (oidc-provider's logout xsrf field). */
export function hiddenInputs(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input[^>]*type="hidden"[^>]*>/gi)) {
    const name = /name="([^"]+)"/.exec(m[0])?.[1];
    if (name) out[name] = /value="([^"]*)"/.exec(m[0])?.[1] ?? '';
  }
  return out;
}

export interface Started {
  url: URL;
  verifier: string;
  state: string;
  nonce: string;
}

/** An authorization URL with state, nonce and (unless `pkce: false`) an S256 challenge. */
export async function authorizationUrl(rp: oidc.Configuration, options: { scope?: string; pkce?: boolean; extra?: Record<string, string> } = {}): Promise<Started> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const params: Record<string, string> = { redirect_uri: CALLBACK, scope: options.scope ?? 'openid', state, nonce, ...options.extra };
  if (options.pkce !== false) Object.assign(params, { code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
  return { url: oidc.buildAuthorizationUrl(rp, params), verifier, state, nonce };
}

/** Plays the browser from the authorization URL through the login form; returns where the IdP sends it back. */
export async function browse(browser: CookieClient, url: URL, user: { username: string; password: string }): Promise<string> {
  const page = await browser.follow(url, {}, { stopAt: (u) => u.startsWith(CALLBACK) });
  if (page.stopped) return page.url;
  expect(page.response.status).toBe(200);
  const sent = await browser.follow(formAction(await page.response.text(), page.url), { form: { username: user.username, password: user.password } }, { stopAt: (u) => u.startsWith(CALLBACK) });
  if (!sent.stopped) throw new Error(`the IdP answered ${sent.response.status} instead of redirecting: ${(await sent.response.text()).slice(0, 300)}`);
  return sent.url;
}

/** A whole sign-in: authorization request, login form, code exchange with every check openid-client makes. */
export async function signIn(rp: oidc.Configuration, user: { username: string; password: string }, options: { scope?: string; browser?: CookieClient } = {}) {
  const browser = options.browser ?? new CookieClient();
  const started = await authorizationUrl(rp, options);
  const callback = await browse(browser, started.url, user);
  const tokens = await oidc.authorizationCodeGrant(rp, new URL(callback), {
    pkceCodeVerifier: started.verifier, expectedState: started.state, expectedNonce: started.nonce, idTokenExpected: true,
  });
  const claims = tokens.claims();
  if (!claims) throw new Error('no ID token');
  return { tokens, claims, browser };
}
