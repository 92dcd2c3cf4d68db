import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../src/errors/index.js';
import type { Behaviour } from '../support/hostile-idp.js';
import { CLIENT_ID, startHarness, type Harness } from './harness.js';

/** Runs a whole sign-in and returns the error code it ended with (or 'OK'). */
async function outcome(h: Harness): Promise<ErrorCode | 'OK'> {
  const { started, callbackUrl } = await h.authorize();
  try {
    await h.sso.completeSignIn({ transactionId: started.transactionId, callbackUrl });
    return 'OK';
  } catch (err) {
    return (err as { code: ErrorCode }).code;
  } finally {
    // Whatever happened, the transaction is gone: the same cookie and callback never work twice.
    await expect(h.sso.completeSignIn({ transactionId: started.transactionId, callbackUrl })).rejects.toMatchObject({ code: 'SSO_TRANSACTION_MISSING' });
  }
}

describe('a hostile or broken provider never produces a sign-in', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('a well-behaved provider signs in (control case)', async () => {
    h.idp.behaviour.groups = 'Admins; Data Stewards;;Admins';
    h.idp.behaviour.sid = 'sid-1';
    const { started, callbackUrl } = await h.authorize('/admin/users?tab=2');
    const result = await h.sso.completeSignIn({ transactionId: started.transactionId, callbackUrl });
    expect(result).toMatchObject({
      providerId: 'onelogin', issuer: h.idp.issuer, subject: 'user-123', returnTo: '/admin/users?tab=2', providerSessionId: 'sid-1',
      groups: ['Admins', 'Data Stewards'],
    });
    expect(result.claims['email']).toBe('user-123@example.com');
    expect(result.refreshToken).toBeTypeOf('string');
  });

  const cases: [string, Partial<Behaviour>, ErrorCode][] = [
    ['signs with the wrong key (published kid)', { sign: 'wrong-key' }, 'SSO_ID_TOKEN_INVALID'],
    ['uses alg none', { sign: 'none' }, 'SSO_ID_TOKEN_INVALID'],
    ['uses HS256 keyed with the client id', { sign: 'hs256' }, 'SSO_ID_TOKEN_INVALID'],
    ['names another issuer in the ID token', { iss: 'https://evil.example.com/oidc/2' }, 'SSO_ID_TOKEN_INVALID'],
    ['addresses the token to another client', { aud: 'someone-else' }, 'SSO_ID_TOKEN_INVALID'],
    ['adds an untrusted audience without azp', { aud: [CLIENT_ID, 'other-app'] }, 'SSO_ID_TOKEN_INVALID'],
    ['adds an untrusted audience with azp', { aud: [CLIENT_ID, 'other-app'], azp: CLIENT_ID }, 'SSO_ID_TOKEN_INVALID'],
    ['sets azp to another party', { azp: 'other-app' }, 'SSO_ID_TOKEN_INVALID'],
    ['sends a different nonce', { nonce: 'attacker-nonce' }, 'SSO_NONCE_MISMATCH'],
    ['leaves the nonce out', { nonce: null }, 'SSO_NONCE_MISMATCH'],
    ['sends an expired ID token', { expOffsetSeconds: -600 }, 'SSO_ID_TOKEN_INVALID'],
    ['sends an ID token issued in the future', { iatOffsetSeconds: 3600, expOffsetSeconds: 7200 }, 'SSO_ID_TOKEN_INVALID'],
    ['leaves out sub', { omitSub: true }, 'SSO_ID_TOKEN_INVALID'],
    ['answers userinfo for another subject', { userinfoSub: 'someone-else' }, 'SSO_USERINFO_SUB_MISMATCH'],
    ['refuses the code', { tokenError: 'invalid_grant' }, 'SSO_CODE_EXCHANGE_FAILED'],
    ['answers the callback with an error', { authorizeError: 'access_denied' }, 'SSO_PROVIDER_ERROR'],
    ['names another issuer on the callback (RFC 9207 mix-up)', { callbackIss: 'https://evil.example.com/oidc/2' }, 'SSO_ISSUER_MISMATCH'],
  ];
  it.each(cases)('provider %s', async (_name, behaviour, code) => {
    Object.assign(h.idp.behaviour, behaviour);
    expect(await outcome(h)).toBe(code);
  });

  it('accepts a correct RFC 9207 iss on the callback', async () => {
    h.idp.behaviour.callbackIss = true;
    expect(await outcome(h)).toBe('OK');
  });

  it('keeps the provider error code but not its HTML description', async () => {
    h.idp.behaviour.authorizeError = 'access_denied';
    const { started, callbackUrl } = await h.authorize();
    const error = await h.sso.completeSignIn({ transactionId: started.transactionId, callbackUrl }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SSO_PROVIDER_ERROR', detail: 'The provider answered "access_denied".' });
    const again = await h.authorize();
    const tampered = new URL(again.callbackUrl);
    tampered.searchParams.delete('code');
    tampered.searchParams.set('error', '<script>alert(1)</script>');
    const second = await h.sso.completeSignIn({ transactionId: again.started.transactionId, callbackUrl: tampered.href }).catch((e: unknown) => e);
    expect(second).toMatchObject({ code: 'SSO_PROVIDER_ERROR', detail: 'The provider answered "unknown_error".' });
  });

  it('an unknown kid causes one JWKS refetch (after the cooldown), then fails; no refetch storm', async () => {
    expect(await outcome(h)).toBe('OK');
    expect(h.idp.counts.jwks).toBe(1);
    h.idp.behaviour.sign = 'unknown-kid';
    // The one JWKS cache's cool-down is 60 s (30 s before the provider and issuer caches were merged).
    h.clock.advance(31_000);
    expect(await outcome(h)).toBe('SSO_ID_TOKEN_INVALID');
    expect(h.idp.counts.jwks).toBe(1);
    h.clock.advance(30_000);
    expect(await outcome(h)).toBe('SSO_ID_TOKEN_INVALID');
    expect(h.idp.counts.jwks).toBe(2);
    expect(await outcome(h)).toBe('SSO_ID_TOKEN_INVALID');
    expect(await outcome(h)).toBe('SSO_ID_TOKEN_INVALID');
    expect(h.idp.counts.jwks).toBe(2);
  });

  it('a replayed state or callback finds nothing; a forged state is refused', async () => {
    const { started, callbackUrl } = await h.authorize();
    const forged = new URL(callbackUrl);
    forged.searchParams.set('state', 'forged-state');
    await expect(h.sso.completeSignIn({ transactionId: started.transactionId, callbackUrl: forged.href })).rejects.toMatchObject({ code: 'SSO_STATE_MISMATCH' });
    // The real callback after the forged one: the transaction was consumed by the failed attempt.
    await expect(h.sso.completeSignIn({ transactionId: started.transactionId, callbackUrl })).rejects.toMatchObject({ code: 'SSO_TRANSACTION_MISSING' });
    const other = await h.authorize();
    const twice = new URL(other.callbackUrl);
    twice.search = `${twice.search}&state=second`;
    await expect(h.sso.completeSignIn({ transactionId: other.started.transactionId, callbackUrl: twice.href })).rejects.toMatchObject({ code: 'SSO_STATE_MISMATCH' });
    await expect(h.sso.completeSignIn({ transactionId: undefined, callbackUrl })).rejects.toMatchObject({ code: 'SSO_TRANSACTION_MISSING' });
    await expect(h.sso.completeSignIn({ transactionId: 'made-up', callbackUrl })).rejects.toMatchObject({ code: 'SSO_TRANSACTION_MISSING' });
  });

  it('a callback with another transaction cookie (login CSRF) is refused', async () => {
    const victim = await h.authorize();
    const attacker = await h.authorize();
    await expect(h.sso.completeSignIn({ transactionId: victim.started.transactionId, callbackUrl: attacker.callbackUrl })).rejects.toMatchObject({ code: 'SSO_STATE_MISMATCH' });
  });

  it('an expired transaction is refused', async () => {
    const { started, callbackUrl } = await h.authorize();
    h.clock.advance(601_000);
    await expect(h.sso.completeSignIn({ transactionId: started.transactionId, callbackUrl })).rejects.toMatchObject({ code: 'SSO_TRANSACTION_MISSING' });
  });
});

describe('discovery is validated', () => {
  it.each([
    ['a different issuer', (issuer: string) => issuer.replace('/oidc/2', '/oidc/3')],
    ['the issuer with a trailing slash (exact match required)', (issuer: string) => `${issuer}/`],
  ])('refuses a discovery document naming %s', async (_name, mutate) => {
    const h = await startHarness();
    try {
      h.idp.behaviour.discoveryIssuer = mutate(h.idp.issuer);
      await expect(h.authorize()).rejects.toMatchObject({ code: 'SSO_PROVIDER_MISCONFIGURED' });
      expect(await h.transactions.countLive(h.clock.now())).toBe(0);
    } finally {
      await h.close();
    }
  });
});
