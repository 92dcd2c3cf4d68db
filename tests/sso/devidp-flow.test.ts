import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDevIdpConfig, startDevIdp, type RunningDevIdp } from '../../src/devidp/index.js';
import { frozenClock, silentLogger } from '../../src/shared/index.js';
import { createAuditLog } from '../../src/audit/index.js';
import { createSessionService, createSignInStep } from '../../src/sessions/index.js';
import { createProviderRegistry, createSsoService, defineProvider, type SsoService } from '../../src/sso/index.js';
import { createAuditStore, createUserStore } from '../../src/storage/index.js';
import { createLogoutTokenReplayStore, createOidcTransactionStore } from '../../src/storage/stores/oidc-transaction-store.js';
import { createSessionStore } from '../../src/storage/stores/session-store.js';
import { BrowserAgent, formAction } from '../support/browser-agent.js';
import { freshDatabase } from '../support/databases.js';

// Gatehouse is not listening in these tests: the browser stops at the redirect to the callback and hands its URL over.
const BASE = 'http://127.0.0.1:8585';
const CALLBACK = `${BASE}/callback`;
const ALICE = { sub: '200001', username: 'alice', password: 'alice-flow-password' };
type Method = 'none' | 'client_secret_basic' | 'client_secret_post';

async function startFlow(method: Method, groupsFormat: 'array' | 'semicolon' = 'array') {
  const secret = method === 'none' ? undefined : 'flow-secret';
  const idp: RunningDevIdp = await startDevIdp({
    port: 0,
    config: loadDevIdpConfig({
      port: 0, groupsFormat,
      clients: [{ client_id: 'gh-flow', ...(secret ? { client_secret: secret } : {}), token_endpoint_auth_method: method, redirect_uris: [CALLBACK], post_logout_redirect_uris: [`${BASE}/signin`] }],
      users: [{ sub: ALICE.sub, username: ALICE.username, email: 'alice@example.com', name: 'Alice Adams', groups: ['stewards', 'admins'], password: ALICE.password }],
    }),
  });
  const db = await freshDatabase('sqlite');
  const clock = frozenClock(Date.now());
  const users = createUserStore(db.db);
  const provider = defineProvider({
    id: 'onelogin', displayName: 'OneLogin', authority: idp.issuer, clientId: 'gh-flow', callbackUrl: CALLBACK,
    clientType: secret ? 'confidential' : 'public', clientSecret: secret ?? null, clientAuthMethod: method,
    scopes: ['openid', 'email', 'profile', 'groups'], postLogoutRedirectUri: `${BASE}/signin`,
  });
  const sessions = createSessionService({ store: createSessionStore(db.db), clock, encryptionKey: randomBytes(32), policy: { absoluteSeconds: 86_400, idleSeconds: 3600, maxPerUser: 0 } });
  const sso: SsoService = createSsoService({
    registry: createProviderRegistry({ providers: [provider], production: false, clock, logger: silentLogger }),
    transactions: createOidcTransactionStore(db.db), logoutReplay: createLogoutTokenReplayStore(db.db), sessions, clock, logger: silentLogger,
    signIns: createSignInStep({ sessions, audit: createAuditLog({ store: createAuditStore(db.db), clock, logger: silentLogger }), publicUrl: BASE }),
    async provisionUser(identity) {
      const id = `u-${identity.subject}`;
      if (!(await users.findById(id))) {
        await users.insert({ id, name: identity.subject, email: null, display_name: null, is_admin: 0, is_bot: 0, disabled: 0, password_hash: null, must_change_password: 0, is_bootstrap: 0, created_at: 0, updated_at: 0 });
      }
      return { userId: id, name: identity.subject };
    },
  });

  /** Plays the browser: authorization URL -> login form -> (consent) -> redirect to the callback, whose URL is returned. */
  async function browse(authorizationUrl: string, password = ALICE.password): Promise<string> {
    const agent = new BrowserAgent();
    const page = await agent.follow(authorizationUrl);
    expect(page.response.status).toBe(200);
    let response = await agent.request(formAction(await page.response.text(), page.url), { form: { username: ALICE.username, password } });
    let url = page.url;
    for (let hop = 0; hop < 10; hop++) {
      const location = response.headers.get('location');
      if (!location) throw new Error(`the IdP answered ${response.status} without a redirect: ${(await response.text()).slice(0, 200)}`);
      url = new URL(location, url).toString();
      if (url.startsWith(CALLBACK)) return url;
      response = await agent.request(url);
    }
    throw new Error('too many redirects');
  }

  async function signIn() {
    const started = await sso.startSignIn({ providerId: 'onelogin', returnTo: '/profile', clientKey: '127.0.0.1' });
    const callbackUrl = await browse(started.authorizationUrl);
    return sso.finishSignIn({ transactionId: started.transactionId, callbackUrl, client: { ip: '127.0.0.1', userAgent: 'flow-test' } });
  }

  return {
    idp, sso, sessions, signIn, browse, clock,
    async close() {
      await idp.close();
      await db.dispose();
    },
  };
}

let flow: Awaited<ReturnType<typeof startFlow>> | undefined;
afterEach(async () => {
  await flow?.close();
  flow = undefined;
});

describe.each(['none', 'client_secret_basic', 'client_secret_post'] as const)('against the development IdP, token endpoint auth %s', (method) => {
  it('signs in with PKCE, refreshes (rotating the refresh token, re-reading groups), and ends when the user is removed', async () => {
    flow = await startFlow(method);
    const done = await flow.signIn();
    expect(done.identity).toMatchObject({ issuer: flow.idp.issuer, subject: ALICE.sub, groups: ['stewards', 'admins'], returnTo: '/profile' });
    expect(done.identity.claims['email']).toBe('alice@example.com');
    expect(done.session.hasProviderRefreshToken).toBe(true);

    const before = await flow.sessions.providerTokens(done.session.id);
    flow.idp.setUserGroups(ALICE.sub, ['stewards']);
    const refreshed = await flow.sso.refreshSession(done.session);
    expect(refreshed).toMatchObject({ outcome: 'refreshed', identity: { subject: ALICE.sub, groups: ['stewards'] } });
    const after = await flow.sessions.providerTokens(done.session.id);
    expect(after?.refreshToken).toBeTruthy();
    expect(after?.refreshToken).not.toBe(before?.refreshToken);

    flow.idp.disableUser(ALICE.sub);
    expect(await flow.sso.refreshSession(done.session)).toMatchObject({ outcome: 'ended' });
    expect(await flow.sso.resumeSession(done.secret)).toBeUndefined();
  });
});

describe('against the development IdP', () => {
  it('reads groups sent as one semicolon-delimited string', async () => {
    flow = await startFlow('none', 'semicolon');
    expect((await flow.signIn()).identity.groups).toEqual(['stewards', 'admins']);
  });

  it('logout gives an end-session URL the IdP accepts (id_token_hint, exact post-logout URI, state)', async () => {
    flow = await startFlow('none');
    const done = await flow.signIn();
    const { redirectTo } = await flow.sso.logout({ sessionSecret: done.secret, state: 'after-logout' });
    const url = new URL(redirectTo ?? '');
    expect(`${url.origin}${url.pathname}`).toBe(`${flow.idp.issuer}/logout`);
    expect(url.searchParams.get('id_token_hint')).toBe(done.identity.idToken);
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe(`${BASE}/signin`);
    expect(url.searchParams.get('state')).toBe('after-logout');
    // The IdP shows its logout confirmation instead of an error: it accepted the hint and the redirect URI.
    const answer = await fetch(url, { redirect: 'manual' });
    expect(answer.status).toBe(200);
    expect(await flow.sso.resumeSession(done.secret)).toBeUndefined();
  });

  it('a replayed callback is refused and a wrong password never reaches the callback', async () => {
    flow = await startFlow('none');
    const started = await flow.sso.startSignIn({ providerId: 'onelogin', clientKey: '127.0.0.1' });
    const callbackUrl = await flow.browse(started.authorizationUrl);
    await flow.sso.completeSignIn({ transactionId: started.transactionId, callbackUrl });
    await expect(flow.sso.completeSignIn({ transactionId: started.transactionId, callbackUrl })).rejects.toMatchObject({ code: 'SSO_TRANSACTION_MISSING' });
    const other = await flow.sso.startSignIn({ providerId: 'onelogin', clientKey: '127.0.0.1' });
    await expect(flow.browse(other.authorizationUrl, 'wrong-password')).rejects.toThrow(/without a redirect/);
  });
});
