import { describe, expect, it } from 'vitest';
import { normaliseGroups } from './groups.js';
import { defineProvider, isAcceptableEndpoint, oneloginIssuer, oneloginProvider, providerProblems } from './provider-settings.js';

describe('OneLogin preset', () => {
  it.each([
    'acme',
    'ACME',
    'acme.onelogin.com',
    'https://acme.onelogin.com',
    'https://acme.onelogin.com/',
    'https://acme.onelogin.com/oidc/2',
    'https://acme.onelogin.com/oidc/2/',
    'acme.onelogin.com/oidc/2',
  ])('%s gives the issuer with /oidc/2 exactly once', (input) => {
    expect(oneloginIssuer(input)).toBe('https://acme.onelogin.com/oidc/2');
  });

  it.each([
    'https://acme.onelogin.com/oidc/2/oidc/2',
    'http://acme.onelogin.com/oidc/2',
    'https://acme.onelogin.com.evil.net/oidc/2',
    'https://evil.net/oidc/2',
    'evil.net',
    'https://acme.onelogin.com:8443/oidc/2',
    'https://acme.onelogin.com/oidc/2?x=1',
    'https://user@acme.onelogin.com/oidc/2',
    'a/b',
    '',
  ])('refuses %j', (input) => {
    expect(() => oneloginIssuer(input)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });

  it('needs only the subdomain, a client id and the callback; defaults to a public PKCE client with RS256', () => {
    const p = oneloginProvider({ subdomain: 'acme', clientId: 'abc', callbackUrl: 'https://gh.example.com/callback' });
    expect(p).toMatchObject({
      id: 'onelogin', displayName: 'OneLogin', authority: 'https://acme.onelogin.com/oidc/2', clientType: 'public',
      clientAuthMethod: 'none', clientSecret: null, scopes: ['openid', 'email', 'profile'], algorithms: ['RS256'], groupsClaim: 'groups',
    });
    expect(providerProblems(p, true)).toEqual([]);
    const confidential = oneloginProvider({ authority: 'https://acme.onelogin.com/oidc/2', clientId: 'abc', clientSecret: 's', callbackUrl: 'https://gh.example.com/callback', scopes: ['openid', 'groups'] });
    expect(confidential).toMatchObject({ clientType: 'confidential', clientAuthMethod: 'client_secret_basic', scopes: ['openid', 'groups'] });
  });
});

describe('provider settings are checked', () => {
  const ok = defineProvider({ authority: 'https://idp.example.com', clientId: 'c', callbackUrl: 'https://gh.example.com/callback' });

  it('https everywhere; http only on loopback outside production', () => {
    expect(isAcceptableEndpoint('https://idp.example.com', true)).toBe(true);
    // Loopback is 127.0.0.0/8, ::1 and localhost (src/shared/loopback.ts, table-tested there); 127.0.0.2 is loopback too.
    for (const host of ['127.0.0.1', '127.0.0.2', 'localhost', '[::1]']) {
      expect(isAcceptableEndpoint(`http://${host}:9000/oidc/2`, false)).toBe(true);
      expect(isAcceptableEndpoint(`http://${host}:9000/oidc/2`, true)).toBe(false);
    }
    for (const url of ['http://idp.example.com', 'http://127.0.0.1.evil.net', 'http://localhost.evil.net', 'ftp://x', 'https://u:p@idp.example.com', 'nonsense']) {
      expect(isAcceptableEndpoint(url, false)).toBe(false);
    }
  });

  it('lists each problem', () => {
    expect(providerProblems(ok, true)).toEqual([]);
    expect(providerProblems({ ...ok, authority: 'http://idp.example.com' }, false)[0]).toContain('authority must be an https URL');
    expect(providerProblems({ ...ok, scopes: ['email'] }, false)[0]).toContain('openid');
    expect(providerProblems({ ...ok, algorithms: ['HS256'] }, false)[0]).toContain('asymmetric');
    expect(providerProblems({ ...ok, algorithms: ['none'] }, false)[0]).toContain('asymmetric');
    expect(providerProblems({ ...ok, clientSecret: 'x' }, false)[0]).toContain('public client');
    expect(providerProblems({ ...ok, clientType: 'confidential' }, false)[0]).toContain('confidential client needs a secret');
    expect(providerProblems({ ...ok, authority: 'https://a.onelogin.com/oidc/2/oidc/2' }, false)[0]).toContain('twice');
  });
});

describe('groups from OneLogin', () => {
  it('reads an array or a semicolon-delimited string the same way', () => {
    expect(normaliseGroups(['Admins', 'Data Stewards'])).toEqual(['Admins', 'Data Stewards']);
    expect(normaliseGroups('Admins;Data Stewards')).toEqual(['Admins', 'Data Stewards']);
    expect(normaliseGroups(' Admins ; ;Data Stewards;Admins; ')).toEqual(['Admins', 'Data Stewards']);
  });

  it('ignores anything else and stays bounded', () => {
    expect(normaliseGroups(undefined)).toEqual([]);
    expect(normaliseGroups(42)).toEqual([]);
    expect(normaliseGroups([1, null, 'A', { x: 1 }])).toEqual(['A']);
    expect(normaliseGroups(['x'.repeat(300)])).toEqual([]);
    expect(normaliseGroups(Array.from({ length: 2000 }, (_, i) => `g${i}`))).toHaveLength(500);
  });
});
