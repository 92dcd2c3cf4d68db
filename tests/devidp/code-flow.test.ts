import { decodeProtectedHeader } from 'jose';
import * as oidc from 'openid-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningDevIdp } from '../../src/devidp/index.js';
import { CookieClient } from '../support/cookie-jar.js';
import { ALICE, authorizationUrl, BOB, CALLBACK, CAROL, relyingParty, signIn, startTestIdp, type Method } from './support.js';

let idp: RunningDevIdp | undefined;
afterEach(async () => {
  await idp?.close();
  idp = undefined;
});

describe.each(['none', 'client_secret_basic', 'client_secret_post'] as const)('code flow with token endpoint auth %s', (method: Method) => {
  it('signs in, returns a rotating refresh token without offline_access, and userinfo at /me', async () => {
    idp = await startTestIdp();
    const rp = await relyingParty(idp, method);
    const { tokens, claims } = await signIn(rp, ALICE, { scope: 'openid profile groups' });
    expect(claims).toMatchObject({ iss: idp.issuer, sub: ALICE.sub, aud: rp.clientMetadata().client_id, email: ALICE.email, groups: ['data-stewards', 'admins'] });
    expect(decodeProtectedHeader(tokens.id_token ?? '').alg).toBe('RS256');
    expect(tokens.scope?.split(' ')).not.toContain('offline_access');
    expect(tokens.refresh_token).toBeTruthy();

    const info = await oidc.fetchUserInfo(rp, tokens.access_token, ALICE.sub);
    expect(info).toMatchObject({ sub: ALICE.sub, preferred_username: 'alice', given_name: 'Alice', family_name: 'Adams', groups: ['data-stewards', 'admins'] });

    const refreshed = await oidc.refreshTokenGrant(rp, tokens.refresh_token ?? '');
    expect(refreshed.refresh_token).toBeTruthy();
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(refreshed.claims()?.sub).toBe(ALICE.sub);
  });
});

describe('code flow', () => {
  it('a bare openid scope returns sub, email, preferred_username and name; profile adds the name parts; groups only on request', async () => {
    idp = await startTestIdp();
    const rp = await relyingParty(idp, 'none');
    const bare = await signIn(rp, ALICE, { scope: 'openid' });
    expect(bare.claims).toMatchObject({ sub: ALICE.sub, email: ALICE.email, preferred_username: 'alice', name: 'Alice Adams' });
    expect(bare.claims).not.toHaveProperty('given_name');
    expect(bare.claims).not.toHaveProperty('groups');
    const bareInfo = await oidc.fetchUserInfo(rp, bare.tokens.access_token, ALICE.sub);
    expect(Object.keys(bareInfo).sort()).toEqual(['email', 'name', 'preferred_username', 'sub']);

    const profile = await signIn(rp, ALICE, { scope: 'openid profile' });
    expect(profile.claims).toMatchObject({ given_name: 'Alice', family_name: 'Adams' });
    expect(profile.claims).not.toHaveProperty('groups');
    // OneLogin's quirk: updated_at is seconds in the ID token but milliseconds in v2 userinfo.
    const seconds = profile.claims['updated_at'];
    expect(typeof seconds).toBe('number');
    expect((await oidc.fetchUserInfo(rp, profile.tokens.access_token, ALICE.sub))['updated_at']).toBe(Number(seconds) * 1000);
  });

  it('sends groups as one semicolon-delimited string when configured so (as a mapped OneLogin "User Roles")', async () => {
    idp = await startTestIdp({ groupsFormat: 'semicolon' });
    const rp = await relyingParty(idp, 'none');
    const { tokens, claims } = await signIn(rp, ALICE, { scope: 'openid groups' });
    expect(claims['groups']).toBe('data-stewards;admins');
    expect((await oidc.fetchUserInfo(rp, tokens.access_token, ALICE.sub))['groups']).toBe('data-stewards;admins');
  });

  it('accepts the e-mail as the login, any case, and users whose password is an argon2id hash', async () => {
    idp = await startTestIdp();
    const rp = await relyingParty(idp, 'none');
    expect((await signIn(rp, { username: 'ALICE@Example.com', password: ALICE.password })).claims.sub).toBe(ALICE.sub);
    expect((await signIn(rp, CAROL, { scope: 'openid groups' })).claims).toMatchObject({ sub: CAROL.sub, groups: [] });
  });

  it('a second sign-in in the same browser reuses the IdP session (no login form), as OneLogin does', async () => {
    idp = await startTestIdp();
    const rp = await relyingParty(idp, 'none');
    const browser = new CookieClient();
    await signIn(rp, BOB, { browser });
    const again = await authorizationUrl(rp);
    const first = await browser.follow(again.url, {}, { stopAt: (u) => u.startsWith(CALLBACK) });
    expect(first.stopped).toBe(true);
    expect(new URL(first.url).searchParams.get('code')).toBeTruthy();
  });

  it('refresh reads the current groups; a reused refresh token is refused and ends the grant', async () => {
    idp = await startTestIdp();
    const rp = await relyingParty(idp, 'client_secret_basic');
    const { tokens } = await signIn(rp, ALICE, { scope: 'openid groups' });
    idp.setUserGroups(ALICE.sub, ['data-consumers']);
    const refreshed = await oidc.refreshTokenGrant(rp, tokens.refresh_token ?? '');
    expect(refreshed.claims()?.['groups']).toEqual(['data-consumers']);
    expect((await oidc.fetchUserInfo(rp, refreshed.access_token, ALICE.sub))['groups']).toEqual(['data-consumers']);

    // Reuse of a rotated refresh token means it leaked: the old one is refused and the new one dies with the grant.
    await expect(oidc.refreshTokenGrant(rp, tokens.refresh_token ?? '')).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(oidc.refreshTokenGrant(rp, refreshed.refresh_token ?? '')).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('after disableUser, refresh is refused, userinfo fails and the user cannot sign in again', async () => {
    idp = await startTestIdp();
    const rp = await relyingParty(idp, 'none');
    const { tokens } = await signIn(rp, ALICE);
    idp.disableUser(ALICE.sub);
    await expect(oidc.refreshTokenGrant(rp, tokens.refresh_token ?? '')).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(oidc.fetchUserInfo(rp, tokens.access_token, ALICE.sub)).rejects.toMatchObject({ status: 401 });
    await expect(signIn(rp, ALICE)).rejects.toThrow(/answered 400 instead of redirecting/);
    // Other users are untouched.
    expect((await signIn(rp, BOB)).claims.sub).toBe(BOB.sub);
  });

  it('setUserGroups and disableUser refuse a subject the IdP does not have (a typo must not pass silently)', async () => {
    idp = await startTestIdp();
    expect(() => idp?.setUserGroups('no-such-sub', ['x'])).toThrow(/no user with sub "no-such-sub"/);
    expect(() => idp?.disableUser('no-such-sub')).toThrow(/no user with sub/);
  });

  it('introspection answers for a confidential client and revocation ends a refresh token', async () => {
    idp = await startTestIdp();
    const rp = await relyingParty(idp, 'client_secret_post');
    const { tokens } = await signIn(rp, BOB);
    expect(await oidc.tokenIntrospection(rp, tokens.access_token)).toMatchObject({ active: true, sub: BOB.sub, client_id: 'rp-post' });
    await oidc.tokenRevocation(rp, tokens.refresh_token ?? '');
    await expect(oidc.refreshTokenGrant(rp, tokens.refresh_token ?? '')).rejects.toMatchObject({ error: 'invalid_grant' });
    // A dead token: HTTP 200 with active false, as OneLogin answers.
    expect(await oidc.tokenIntrospection(rp, 'not-a-token')).toMatchObject({ active: false });
  });
});
