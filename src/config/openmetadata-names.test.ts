import { describe, expect, it } from 'vitest';
import { loadConfig } from './load-config.js';

const ok = (env: Record<string, string>) => {
  const result = loadConfig({ env });
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.config;
};

describe("OpenMetadata's own setting names", () => {
  it('reads the login policy from the names in its docker env files', () => {
    const c = ok({ OM_MAX_FAILED_LOGIN_ATTEMPTS: '5', OM_LOGIN_ACCESS_BLOCK_TIME: '900', OM_JWT_EXPIRY_TIME: '1800' });
    expect([c.login.maxLoginFailAttempts, c.login.accessBlockTimeSeconds, c.jwt.accessTokenTtlSeconds]).toEqual([5, 900, 1800]);
  });

  it('takes OIDC_SERVER_URL as this server\'s own URL, not the provider\'s', () => {
    const c = ok({ OIDC_SERVER_URL: 'https://gatehouse.example.com' });
    expect(c.server.publicUrl).toBe('https://gatehouse.example.com');
  });

  it('names every unsupported OpenMetadata setting that is set, with what Gatehouse does instead', () => {
    const c = ok({ AUTHENTICATION_RESPONSE_TYPE: 'id_token', OIDC_USE_NONCE: 'true', OIDC_DISABLE_PKCE: 'true', OIDC_TENANT: '' });
    expect(c.unsupportedSettings.map((u) => u.name)).toEqual(['AUTHENTICATION_RESPONSE_TYPE', 'OIDC_USE_NONCE', 'OIDC_DISABLE_PKCE']);
    expect(c.unsupportedSettings[2]?.reason).toContain('PKCE');
    expect(ok({}).unsupportedSettings).toEqual([]);
  });
});
