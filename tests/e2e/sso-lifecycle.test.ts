import { afterEach, describe, expect, it } from 'vitest';
import { formAction, hiddenInputs } from '../support/browser-agent.js';
import { startSsoStack, USERS, type SsoStack } from '../support/sso-stack.js';

const CSRF = { 'x-requested-with': 'gatehouse' };

describe('SSO sessions, roles and logout against the development IdP', () => {
  let stack: SsoStack;
  afterEach(async () => {
    await stack?.close();
  });
  const me = async (agent: ReturnType<SsoStack['agent']>) => agent.request(`${stack.base}/api/v1/users/loggedInUser?fields=gatehouse`);

  it('starts the flow from OneLogin\'s Login URL (IdP-initiated, /signin?iss=)', async () => {
    stack = await startSsoStack();
    const agent = stack.agent();
    const first = await agent.request(`${stack.base}/signin?iss=${encodeURIComponent(stack.idp.issuer)}`);
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toContain(`${stack.idp.issuer}/auth?`);
    const unknown = await agent.request(`${stack.base}/signin?iss=${encodeURIComponent('https://evil.example/oidc/2')}`);
    expect(unknown.headers.get('location')).toBe('/signin?error=SSO_PROVIDER_UNKNOWN');
  });

  it('re-syncs roles from groups at every sign-in, removing roles of removed groups, keeping manual ones', async () => {
    stack = await startSsoStack({ groupsFormat: 'semicolon' });
    const agent = stack.agent();
    await stack.signIn(agent, 'bob');
    expect(((await (await me(agent)).json()) as { roles: { name: string }[] }).roles.map((r) => r.name)).toEqual(['DataConsumer']);
    stack.idp.setUserGroups(USERS.bob.sub, ['data-stewards']);
    const again = stack.agent();
    await stack.signIn(again, 'bob');
    const user = (await (await me(again)).json()) as { roles: { name: string; source: string }[]; groups: string[] };
    expect(user.roles.map((r) => r.name)).toEqual(['DataSteward']);
    expect(user.groups).toEqual(['data-stewards']);
  });

  it('refresh re-checks the user at the provider; a user removed there loses the session', async () => {
    stack = await startSsoStack();
    const agent = stack.agent();
    await stack.signIn(agent, 'bob');
    const ok = await agent.request(`${stack.base}/api/v1/auth/refresh`);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { status: string }).status).toBe('refreshed');
    stack.idp.disableUser(USERS.bob.sub);
    const refused = await agent.request(`${stack.base}/api/v1/auth/refresh`);
    expect(refused.status).toBe(401);
    expect((await me(agent)).status).toBe(401);
  });

  it('without self-signup only pre-created users enter (bound once by verified e-mail)', async () => {
    stack = await startSsoStack({ env: { AUTHENTICATION_ENABLE_SELF_SIGNUP: 'false' } });
    const stranger = stack.agent();
    const { url } = await stack.signIn(stranger, 'bob');
    expect(url).toBe(`${stack.base}/signin?error=SSO_SIGNUP_DISABLED`);
    expect((await me(stranger)).status).toBe(401);
    await stack.t.gatehouse.appDeps.users.create({ userId: 'system', name: 'system', isAdmin: true }, { name: 'robert', email: 'bob@example.com' }, { actorId: null, actorName: 'test', ip: null, userAgent: null });
    const known = stack.agent();
    await stack.signIn(known, 'bob');
    const user = (await (await me(known)).json()) as { name: string; identities: { issuer: string }[] };
    expect(user.name).toBe('robert');
    expect(user.identities.map((i) => i.issuer)).toEqual([stack.idp.issuer]);
  });

  it('a pending password change does not block the same user\'s single sign-on session', async () => {
    stack = await startSsoStack({ env: { GATEHOUSE_BASIC_AUTH_ENABLED: 'true', GATEHOUSE_BASIC_AUTH_ADMINS_ONLY: 'false', GATEHOUSE_BOOTSTRAP_ADMINS: '[admin]', AUTHORIZER_ADMIN_PRINCIPALS: '[alice,admin]' } });
    const admin = await stack.t.adminToken();
    await stack.t.call({ method: 'POST', url: '/api/v1/users', token: admin, payload: { name: 'bob', email: 'bob@example.com' } });
    const reset = await stack.t.call({ method: 'PUT', url: '/api/v1/users/changePassword', token: admin, payload: { requestType: 'USER', username: 'bob', newPassword: 'temporary-Passphrase-1', confirmPassword: 'temporary-Passphrase-1' } });
    expect(reset.statusCode).toBe(200);
    const agent = stack.agent();
    await stack.signIn(agent, 'bob');
    const user = (await (await me(agent)).json()) as { name: string; mustChangePassword: boolean };
    expect(user).toMatchObject({ name: 'bob', mustChangePassword: true });
    expect((await agent.request(`${stack.base}/api/v1/auth/sessions`)).status).toBe(200);
    // The password itself still has to be changed before it signs anyone in.
    const password = await stack.t.login('bob', 'temporary-Passphrase-1');
    const gated = await stack.t.call({ method: 'GET', url: '/api/v1/auth/sessions', token: password.json().accessToken });
    expect(gated.json().code).toBe('AUTH_PASSWORD_CHANGE_REQUIRED');
  });

  it('enforces the principal domain', async () => {
    stack = await startSsoStack({ env: { AUTHORIZER_PRINCIPAL_DOMAIN: 'example.com', AUTHORIZER_ENFORCE_PRINCIPAL_DOMAIN: 'true' } });
    const outsider = stack.agent();
    expect((await stack.signIn(outsider, 'carol')).url).toBe(`${stack.base}/signin?error=SSO_DOMAIN_NOT_ALLOWED`);
    const insider = stack.agent();
    expect((await stack.signIn(insider, 'bob')).url).toBe(`${stack.base}/profile`);
  });

  it('ends sessions at the idle and absolute timeouts (frozen time)', async () => {
    stack = await startSsoStack({ env: { GATEHOUSE_SESSION_IDLE_TIMEOUT: '600', OIDC_SESSION_EXPIRY: '3600' } });
    const agent = stack.agent();
    await stack.signIn(agent, 'bob');
    for (let i = 0; i < 5; i++) {
      stack.t.clock.advance(590_000);
      expect((await me(agent)).status).toBe(200);
    }
    stack.t.clock.advance(900_000);
    expect((await me(agent)).status).toBe(401);
    const idle = stack.agent();
    await stack.signIn(idle, 'bob');
    stack.t.clock.advance(601_000);
    expect((await me(idle)).status).toBe(401);
  });

  it('logout ends the session everywhere and sends the browser to the IdP end-session endpoint', async () => {
    stack = await startSsoStack();
    const agent = stack.agent();
    await stack.signIn(agent, 'bob');
    const cookieName = 'gatehouse_session';
    const stolen = agent.cookie(new URL(stack.base).host, cookieName);
    expect(stolen).toBeTruthy();
    const out = await agent.request(`${stack.base}/api/v1/auth/logout`, { method: 'POST', headers: { ...CSRF, origin: stack.base } });
    const { redirectTo } = (await out.json()) as { redirectTo: string };
    const end = new URL(redirectTo);
    expect(`${end.origin}${end.pathname}`).toBe(`${stack.idp.issuer}/logout`);
    expect(end.searchParams.get('id_token_hint')).toBeTruthy();
    expect(end.searchParams.get('post_logout_redirect_uri')).toBe(`${stack.base}/signin`);
    expect(end.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    // The old cookie is dead server-side, even if a copy was kept.
    const replay = stack.agent();
    replay.setCookie(new URL(stack.base).host, cookieName, stolen ?? '');
    expect((await me(replay)).status).toBe(401);
    // At the IdP: confirm the logout form; it returns to Gatehouse's post-logout URI with the state, which shows
    // the signed-out page.
    const page = await agent.follow(redirectTo);
    const html = await page.response.text();
    const done = await agent.follow(formAction(html, page.url), { form: { ...hiddenInputs(html), logout: 'yes' } });
    expect(done.url).toBe(`${stack.base}/signed-out`);
    expect(done.response.status).toBe(200);
  });

  it('back-channel logout from the IdP ends the matching session', async () => {
    stack = await startSsoStack();
    const agent = stack.agent();
    await stack.signIn(agent, 'bob');
    const other = stack.agent();
    await stack.signIn(other, 'alice');
    // Ending the session at the IdP (through another RP's logout) makes it POST a logout token to Gatehouse.
    const idpLogout = await agent.follow(`${stack.idp.issuer}/logout`);
    const html = await idpLogout.response.text();
    await agent.follow(formAction(html, idpLogout.url), { form: { ...hiddenInputs(html), logout: 'yes' } });
    const deadline = Date.now() + 3000;
    while ((await me(agent)).status === 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect((await me(agent)).status).toBe(401);
    expect((await me(other)).status).toBe(200);
    const events = await stack.t.gatehouse.services.audit.list({ type: 'auth.backchannel-logout', limit: 5, offset: 0 });
    expect(events.data[0]).toMatchObject({ outcome: 'success', details: { sessions: 1 } });
  });

  it('lists and ends sessions; cookie requests that change data need same-origin proof', async () => {
    stack = await startSsoStack();
    const laptop = stack.agent();
    const phone = stack.agent();
    await stack.signIn(laptop, 'bob');
    await stack.signIn(phone, 'bob');
    const list = (await (await laptop.request(`${stack.base}/api/v1/auth/sessions`)).json()) as { data: { id: string; current: boolean }[] };
    expect(list.data).toHaveLength(2);
    expect(list.data.filter((s) => s.current)).toHaveLength(1);
    const csrf = await laptop.request(`${stack.base}/api/v1/auth/sessions/revoke-others`, { method: 'POST', headers: { origin: 'https://evil.example', 'x-requested-with': 'gatehouse' } });
    expect(csrf.status).toBe(403);
    const noHeader = await laptop.request(`${stack.base}/api/v1/auth/sessions/revoke-others`, { method: 'POST', headers: { origin: stack.base } });
    expect(noHeader.status).toBe(403);
    const ok = await laptop.request(`${stack.base}/api/v1/auth/sessions/revoke-others`, { method: 'POST', headers: { ...CSRF, origin: stack.base } });
    expect(await ok.json()).toEqual({ ended: 1 });
    expect((await me(phone)).status).toBe(401);
    expect((await me(laptop)).status).toBe(200);
  });
});
