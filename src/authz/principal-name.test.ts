import { describe, expect, it } from 'vitest';
import { derivePrincipal, isDomainAllowed } from './principal-name.js';

const defaults = { principalClaims: ['email', 'preferred_username', 'sub'], mapping: null };

describe('derivePrincipal', () => {
  it.each([
    [{ email: 'Alice.Smith@Example.com', sub: 'x' }, defaults, { name: 'alice.smith', email: 'alice.smith@example.com' }],
    [{ preferred_username: 'Bob', sub: 'x' }, defaults, { name: 'bob', email: null }],
    [{ sub: '00u1' }, defaults, { name: '00u1', email: null }],
    [{ email: 42, sub: 's' }, defaults, { name: 's', email: null }],
    [{ upn: 'carol@corp.com', mail: 'c@corp.com' }, { principalClaims: [], mapping: { username: 'upn', email: 'mail' } }, { name: 'carol', email: 'c@corp.com' }],
    [{}, defaults, null],
    [{ email: '@nothing' }, { principalClaims: ['email'], mapping: null }, null],
  ])('%j', (claims, rules, expected) => {
    expect(derivePrincipal(claims, rules)).toEqual(expected);
  });
});

describe('isDomainAllowed', () => {
  const rules = { enforcePrincipalDomain: true, principalDomain: 'acme.com', allowedDomains: [] as string[] };
  it('enforces the principal domain, or the allowed list when given', () => {
    expect(isDomainAllowed('a@acme.com', rules)).toBe(true);
    expect(isDomainAllowed('a@evil.com', rules)).toBe(false);
    expect(isDomainAllowed('a@acme.com.evil.com', rules)).toBe(false);
    expect(isDomainAllowed(null, rules)).toBe(false);
    expect(isDomainAllowed('a@partner.io', { ...rules, allowedDomains: ['partner.io'] })).toBe(true);
    expect(isDomainAllowed('a@acme.com', { ...rules, allowedDomains: ['partner.io'] })).toBe(false);
    expect(isDomainAllowed('a@evil.com', { ...rules, enforcePrincipalDomain: false })).toBe(true);
  });
});
