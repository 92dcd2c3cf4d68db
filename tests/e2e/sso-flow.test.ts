import { afterEach, describe, expect, it } from 'vitest';
import { startSsoStack, type SsoStack } from '../support/sso-stack.js';

describe('single sign-on with the OneLogin-compatible development IdP', () => {
  let stack: SsoStack;
  afterEach(async () => {
    await stack?.close();
  });

  it.each([
    ['public client (Token Endpoint: None (PKCE))', undefined],
    ['confidential client, Basic', 'client_secret_basic' as const],
    ['confidential client, POST', 'client_secret_post' as const],
  ])('signs in with a %s, provisions the user with roles from groups, and lands on the return path', async (_name, confidential) => {
    stack = await startSsoStack(confidential ? { confidential } : {});
    const agent = stack.agent();
    const { url } = await stack.signIn(agent, 'alice', { returnTo: '/profile' });
    expect(url).toBe(`${stack.base}/profile`);
    const me = await agent.request(`${stack.base}/api/v1/users/loggedInUser?fields=gatehouse`);
    expect(me.status).toBe(200);
    const user = (await me.json()) as { name: string; email: string; isAdmin: boolean; roleGrants: { name: string; source: string }[]; groups: string[] };
    expect(user).toMatchObject({ name: 'alice', email: 'alice@example.com', isAdmin: true });
    expect(user.roleGrants).toEqual([{ id: expect.any(String), name: 'DataSteward', source: 'group:oidc:data-stewards', providerName: 'OneLogin' }]);
    // Every hop: Gatehouse -> IdP authorize (with PKCE) -> login -> callback -> return path. No token reached the browser.
    const authorize = agent.hops.find((h) => h.location?.includes('/oidc/2/auth?'))?.location ?? '';
    expect(authorize).toContain('code_challenge_method=S256');
    expect(authorize).toContain('nonce=');
    expect(authorize).toContain('scope=openid+email+profile+groups');
    expect(agent.hops.map((h) => h.location ?? '').join(' ')).not.toMatch(/id_token=|access_token=/);
  });

  it('refuses a wrong password at the IdP and creates no session', async () => {
    stack = await startSsoStack();
    const agent = stack.agent();
    const { response } = await stack.signIn(agent, 'bob', { password: 'wrong' });
    expect(await response.text()).toContain('Wrong user name or password');
    expect((await agent.request(`${stack.base}/api/v1/users/loggedInUser`)).status).toBe(401);
  });
});
