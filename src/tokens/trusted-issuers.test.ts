import { describe, expect, it } from 'vitest';
import { isOwnJwksUrl, trustedIssuersFrom } from './trusted-issuers.js';

const PUBLIC = 'https://gatehouse.example.com';

describe('AUTHENTICATION_PUBLIC_KEYS', () => {
  it('recognises our own JWKS (public origin or loopback) and never another server\'s on the same path', () => {
    expect(isOwnJwksUrl(`${PUBLIC}/api/v1/system/config/jwks`, PUBLIC)).toBe(true);
    expect(isOwnJwksUrl('http://localhost:8585/api/v1/system/config/jwks', PUBLIC)).toBe(true);
    expect(isOwnJwksUrl('http://127.0.0.1:8585/api/v1/system/config/jwks/', PUBLIC)).toBe(true);
    expect(isOwnJwksUrl('https://other-openmetadata.example.com/api/v1/system/config/jwks', PUBLIC)).toBe(false);
    expect(isOwnJwksUrl(`${PUBLIC}/api/v1/system/config/jwks/../other`, PUBLIC)).toBe(false);
    expect(isOwnJwksUrl('https://gatehouse.example.com.evil.example/api/v1/system/config/jwks', PUBLIC)).toBe(false);
    expect(isOwnJwksUrl('not a url', PUBLIC)).toBe(false);
    // The one loopback rule (src/shared/loopback.ts): all of 127.0.0.0/8 and ::1, never a look-alike name.
    expect(isOwnJwksUrl('http://127.0.0.2:8585/api/v1/system/config/jwks', PUBLIC)).toBe(true);
    expect(isOwnJwksUrl('http://[::1]:8585/api/v1/system/config/jwks', PUBLIC)).toBe(true);
    expect(isOwnJwksUrl('http://127.0.0.1.evil.example/api/v1/system/config/jwks', PUBLIC)).toBe(false);
    expect(isOwnJwksUrl('http://127.0.0.1@evil.example/api/v1/system/config/jwks', PUBLIC)).toBe(false);
  });

  it('maps a provider\'s JWKS to its issuer and client id, and other URLs to their parent path without an audience', () => {
    const providers = [{ authority: 'https://acme.onelogin.com/oidc/2', clientId: 'client-1' }];
    expect(trustedIssuersFrom([
      'https://acme.onelogin.com/oidc/2/certs', `${PUBLIC}/api/v1/system/config/jwks`, 'https://other.onelogin.com/oidc/2/certs',
    ], { publicUrl: PUBLIC, providers })).toEqual([
      { issuer: 'https://acme.onelogin.com/oidc/2', jwksUrl: 'https://acme.onelogin.com/oidc/2/certs', audiences: ['client-1'] },
      { issuer: 'https://other.onelogin.com/oidc/2', jwksUrl: 'https://other.onelogin.com/oidc/2/certs', audiences: [] },
    ]);
    // A look-alike authority is not the provider's.
    expect(trustedIssuersFrom(['https://acme.onelogin.com/oidc/2x/certs'], { publicUrl: PUBLIC, providers })[0]?.audiences).toEqual([]);
  });
});
