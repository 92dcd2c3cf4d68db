import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/shared/index.js';
import { createProviderRegistry, defineProvider } from '../../src/sso/index.js';
import { CALLBACK, CLIENT_ID, startHarness, type Harness } from './harness.js';

const client = { ip: '192.0.2.10', userAgent: 'Firefox' };
let h: Harness;
afterEach(async () => {
  await h.close();
});

async function signIn(harness: Harness, previousSessionSecret?: string) {
  const { started, callbackUrl } = await harness.authorize('/profile');
  return harness.sso.finishSignIn({ transactionId: started.transactionId, callbackUrl, client, ...(previousSessionSecret ? { previousSessionSecret } : {}) });
}

describe.each(['none', 'client_secret_basic', 'client_secret_post'] as const)('sign-in with token endpoint auth %s', (authMethod) => {
  it('always sends PKCE S256, state and nonce; creates a session with the provider link', async () => {
    h = await startHarness({ authMethod });
    h.idp.behaviour.sid = 'op-session-1';
    const { started, callbackUrl } = await h.authorize('/admin');
    const url = new URL(started.authorizationUrl);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('redirect_uri')).toBe(CALLBACK);
    expect(url.searchParams.get('scope')).toBe('openid email profile groups');
    expect(url.searchParams.get('state')?.length).toBeGreaterThan(20);
    expect(url.searchParams.get('nonce')?.length).toBeGreaterThan(20);
    expect(url.searchParams.get('client_secret')).toBeNull();
    expect(started.cookieMaxAgeSeconds).toBe(600);
    const done = await h.sso.finishSignIn({ transactionId: started.transactionId, callbackUrl, client });
    expect(done).toMatchObject({ returnTo: '/admin', userId: 'u-user-123' });
    expect(done.session).toMatchObject({ providerId: 'onelogin', providerSid: 'op-session-1', providerSubject: 'user-123', hasProviderRefreshToken: true });
    expect((await h.sso.resumeSession(done.secret))?.userId).toBe('u-user-123');
  });
});

describe('SSO service', () => {
  it('IdP-initiated start: the provider is found by its exact issuer', async () => {
    h = await startHarness();
    expect(h.sso.providerForIssuer(h.idp.issuer)).toEqual({ id: 'onelogin', displayName: 'OneLogin' });
    expect(h.sso.providerForIssuer(`${h.idp.issuer}/`)).toBeUndefined();
    expect(h.sso.providerForIssuer(undefined)).toBeUndefined();
    await expect(h.sso.startSignIn({ providerId: 'nope', clientKey: 'x' })).rejects.toMatchObject({ code: 'SSO_PROVIDER_UNKNOWN' });
  });

  it('a hostile return path becomes "/"; custom parameters cannot replace security parameters', async () => {
    h = await startHarness({ provider: { customParams: { state: 'fixed', acr_values: 'onelogin:nist:level:1:re-auth' }, prompt: 'login', maxAgeSeconds: 3600 } });
    const started = await h.sso.startSignIn({ providerId: 'onelogin', returnTo: '//evil.example', clientKey: 'x' });
    const url = new URL(started.authorizationUrl);
    expect(url.searchParams.get('state')).not.toBe('fixed');
    expect(url.searchParams.get('acr_values')).toBe('onelogin:nist:level:1:re-auth');
    expect(url.searchParams.get('prompt')).toBe('login');
    expect(url.searchParams.get('max_age')).toBe('3600');
    const row = await h.db.db.selectFrom('oidc_transactions').selectAll().executeTakeFirstOrThrow();
    expect(row.return_to).toBe('/');
    expect(row.id_hash).not.toBe(started.transactionId);
  });

  it('limits sign-ins in progress per client and sweeps expired ones', async () => {
    h = await startHarness();
    for (let i = 0; i < 10; i++) await h.sso.startSignIn({ providerId: 'onelogin', clientKey: '198.51.100.1' });
    await expect(h.sso.startSignIn({ providerId: 'onelogin', clientKey: '198.51.100.1' })).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await h.sso.startSignIn({ providerId: 'onelogin', clientKey: '198.51.100.2' });
    h.clock.advance(601_000);
    await h.sso.startSignIn({ providerId: 'onelogin', clientKey: '198.51.100.1' });
    expect(await h.db.db.selectFrom('oidc_transactions').select('id_hash').execute()).toHaveLength(1);
  });

  it('a new session id at every sign-in; the previous session ends (no fixation)', async () => {
    h = await startHarness();
    const first = await signIn(h);
    const second = await signIn(h, first.secret);
    expect(second.secret).not.toBe(first.secret);
    expect(await h.sso.resumeSession(first.secret)).toBeUndefined();
    expect(await h.sso.resumeSession(second.secret)).toBeDefined();
  });

  it('refresh stores the rotated refresh token and re-reads groups; invalid_grant ends the session', async () => {
    h = await startHarness();
    h.idp.behaviour.groups = ['Stewards'];
    const done = await signIn(h);
    const before = await h.sessions.providerTokens(done.session.id);
    h.idp.behaviour.groups = 'Stewards;Admins';
    const outcome = await h.sso.refreshSession(done.session);
    expect(outcome).toMatchObject({ outcome: 'refreshed', identity: { subject: 'user-123', groups: ['Stewards', 'Admins'] } });
    const after = await h.sessions.providerTokens(done.session.id);
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
    expect(h.idp.liveRefreshTokens()).toEqual([after?.refreshToken]);
    expect(h.resynced.at(-1)?.groups).toEqual(['Stewards', 'Admins']);
    h.idp.behaviour.refreshError = 'invalid_grant';
    expect(await h.sso.refreshSession(done.session)).toEqual({ outcome: 'ended', reason: 'invalid_grant' });
    expect(h.endedEvents).toEqual([{ sessionId: done.session.id, userId: done.userId, reason: 'invalid_grant' }]);
    expect(await h.sso.resumeSession(done.secret)).toBeUndefined();
  });

  it('a refreshed ID token for another subject ends the session', async () => {
    h = await startHarness();
    const done = await signIn(h);
    h.idp.behaviour.refreshIdToken = true;
    h.idp.behaviour.sub = 'someone-else';
    expect(await h.sso.refreshSession(done.session)).toMatchObject({ outcome: 'ended', reason: 'SSO_ID_TOKEN_INVALID' });
  });

  it('resumeSession re-checks with the provider when due: removed user -> no session; provider down -> kept', async () => {
    h = await startHarness();
    const done = await signIn(h);
    h.clock.advance(60_000);
    expect(await h.sso.resumeSession(done.secret)).toBeDefined();
    expect(h.idp.counts.refresh).toBe(0);
    h.clock.advance(15 * 60_000);
    expect(await h.sso.resumeSession(done.secret)).toBeDefined();
    expect(h.idp.counts.refresh).toBe(1);
    h.disabled.add(done.userId);
    h.clock.advance(15 * 60_000);
    expect(await h.sso.resumeSession(done.secret)).toBeUndefined();
    expect(h.endedEvents.map((e) => e.reason)).toEqual(['USER_DISABLED']);

    const again = await signIn(h);
    h.clock.advance(15 * 60_000);
    await h.idp.close();
    expect(await h.sso.resumeSession(again.secret)).toBeDefined();
  });

  it('logout ends the session and returns the end-session URL with id_token_hint, post-logout URI and state', async () => {
    h = await startHarness();
    const done = await signIn(h);
    const { redirectTo, session } = await h.sso.logout({ sessionSecret: done.secret, state: 'st-1' });
    expect(session?.id).toBe(done.session.id);
    const url = new URL(redirectTo ?? '');
    expect(`${url.origin}${url.pathname}`).toBe(`${h.idp.issuer}/logout`);
    expect(url.searchParams.get('id_token_hint')).toBe(done.identity.idToken);
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe('http://127.0.0.1:8585/signin');
    expect(url.searchParams.get('state')).toBe('st-1');
    expect(url.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(await h.sso.resumeSession(done.secret)).toBeUndefined();
    expect(await h.sso.logout({ sessionSecret: done.secret })).toEqual({ redirectTo: undefined, session: undefined });
    expect(await h.sso.logout({ sessionSecret: undefined })).toEqual({ redirectTo: undefined, session: undefined });
  });

  it('a provider that is down gives SSO_PROVIDER_UNAVAILABLE and does not affect another provider', async () => {
    h = await startHarness();
    const down = defineProvider({ id: 'down', authority: 'http://127.0.0.1:9/oidc/2', clientId: 'c', callbackUrl: CALLBACK });
    const registry = createProviderRegistry({ providers: [down, h.provider], production: false, clock: h.clock, logger: silentLogger, timeoutSeconds: 2 });
    await expect(registry.resolve('down')).rejects.toMatchObject({ code: 'SSO_PROVIDER_UNAVAILABLE' });
    await expect(registry.resolve('down')).rejects.toMatchObject({ code: 'SSO_PROVIDER_UNAVAILABLE' });
    expect((await registry.resolve('onelogin')).metadata.issuer).toBe(h.idp.issuer);
    expect(await registry.check('down')).toEqual({ ok: false, error: 'SSO_PROVIDER_UNAVAILABLE', jwksKids: [] });
  });

  it('production mode refuses http providers at start-up', async () => {
    h = await startHarness();
    expect(() => createProviderRegistry({ providers: [h.provider], production: true, clock: h.clock, logger: silentLogger })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });
});
