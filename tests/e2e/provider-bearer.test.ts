import * as oidc from 'openid-client';
import { afterEach, describe, expect, it } from 'vitest';
import { formAction } from '../support/browser-agent.js';
import { startSsoStack, USERS, type SsoStack } from '../support/sso-stack.js';

/** A script holding the provider's ID token (OpenMetadata's public-client mode) calls the API with it. */
describe('provider ID tokens as bearer tokens (AUTHENTICATION_PUBLIC_KEYS)', () => {
  let stack: SsoStack;
  afterEach(async () => {
    await stack?.close();
  });

  async function idTokenFor(user: keyof typeof USERS): Promise<string> {
    const config = await oidc.discovery(new URL(stack.idp.issuer), 'gh-public', undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
    const verifier = oidc.randomPKCECodeVerifier();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: `${stack.base}/callback`, scope: 'openid email profile', nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    });
    const agent = stack.agent();
    const login = await agent.follow(url.toString());
    // Stop at the redirect back to the app: the script exchanges the code itself.
    let response = await agent.request(formAction(await login.response.text(), login.url), { form: { username: user, password: USERS[user].password } });
    let location = response.headers.get('location') ?? '';
    while (!location.startsWith(`${stack.base}/callback`)) {
      response = await agent.request(new URL(location, stack.idp.issuer).toString());
      location = response.headers.get('location') ?? '';
    }
    const tokens = await oidc.authorizationCodeGrant(config, new URL(location), { pkceCodeVerifier: verifier, expectedNonce: nonce, idTokenExpected: true });
    return tokens.id_token as string;
  }

  it('accepts the provider\'s ID token for a known user; refuses unknown users and tampering', async () => {
    stack = await startSsoStack({ env: (issuer) => ({ AUTHENTICATION_PUBLIC_KEYS: `[${issuer}/certs]` }) });
    const me = (token: string) => fetch(`${stack.base}/api/v1/users/loggedInUser`, { headers: { authorization: `Bearer ${token}` } });
    const unknown = await me(await idTokenFor('bob'));
    expect(unknown.status).toBe(401);
    expect(((await unknown.json()) as { code: string }).code).toBe('AUTH_TOKEN_UNKNOWN_USER');
    await stack.signIn(stack.agent(), 'bob');
    const token = await idTokenFor('bob');
    const ok = await me(token);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ name: 'bob', email: 'bob@example.com' });
    const tampered = await me(`${token.slice(0, -6)}AAAAAA`);
    expect(((await tampered.json()) as { code: string }).code).toBe('AUTH_TOKEN_SIGNATURE');
  });

  it('refuses provider tokens when the provider JWKS is not in AUTHENTICATION_PUBLIC_KEYS', async () => {
    stack = await startSsoStack();
    await stack.signIn(stack.agent(), 'bob');
    const res = await fetch(`${stack.base}/api/v1/users/loggedInUser`, { headers: { authorization: `Bearer ${await idTokenFor('bob')}` } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: string }).code).toBe('AUTH_TOKEN_WRONG_ISSUER');
  });
});
