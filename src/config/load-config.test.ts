import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { loadConfig } from './load-config.js';
import { redactConfig } from './redact.js';
import { DEFAULTS, SETTINGS, type DefaultedPath } from './settings.js';

const ok = (env: Record<string, string>) => {
  const result = loadConfig({ env });
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.config;
};
const problems = (env: Record<string, string>) => {
  const result = loadConfig({ env });
  return result.ok ? [] : result.problems;
};

describe('loadConfig', () => {
  it('has safe defaults for a quick start', () => {
    const c = ok({});
    expect(c.environment).toBe('development');
    expect(c.server).toMatchObject({ host: '127.0.0.1', port: 8585, publicUrl: 'http://127.0.0.1:8585' });
    expect(c.authentication.provider).toBe('basic');
    expect(c.authentication.basic).toEqual({ enabled: true, adminsOnly: false });
    expect(c.authorizer.adminPrincipals).toEqual(['admin']);
    expect(c.login).toMatchObject({ maxLoginFailAttempts: 3, accessBlockTimeSeconds: 600, minPasswordLength: 8, rateLimitPerIpPerMinute: 60, rateLimitPerAccountPerMinute: 30, passwordHashQueue: 32 });
    expect(c.login.passwordHashConcurrency).toBeGreaterThanOrEqual(1);
    expect(Object.isFrozen(c.authentication.principalClaims)).toBe(true);
  });

  it('reads lockout under OpenMetadata\'s names and the older ones, and the sign-in limits and hashing queue', () => {
    expect(ok({ OM_MAX_FAILED_LOGIN_ATTEMPTS: '5', OM_LOGIN_ACCESS_BLOCK_TIME: '120' }).login).toMatchObject({ maxLoginFailAttempts: 5, accessBlockTimeSeconds: 120 });
    expect(ok({ MAX_LOGIN_FAIL_ATTEMPTS: '4', ACCESS_BLOCK_TIME: '60' }).login).toMatchObject({ maxLoginFailAttempts: 4, accessBlockTimeSeconds: 60 });
    const c = ok({
      GATEHOUSE_LOGIN_RATE_LIMIT_PER_IP: '0', GATEHOUSE_LOGIN_RATE_LIMIT_PER_ACCOUNT: '7',
      GATEHOUSE_PASSWORD_HASH_CONCURRENCY: '3', GATEHOUSE_PASSWORD_HASH_QUEUE: '9',
    });
    expect(c.login).toMatchObject({ rateLimitPerIpPerMinute: 0, rateLimitPerAccountPerMinute: 7, passwordHashConcurrency: 3, passwordHashQueue: 9 });
    // A pool of 2 threads: hashing gets at most 1, so file and DNS work keep one.
    expect(ok({ UV_THREADPOOL_SIZE: '2' }).login.passwordHashConcurrency).toBe(1);
    expect(problems({ GATEHOUSE_PASSWORD_HASH_CONCURRENCY: '0' }).join()).toMatch(/GATEHOUSE_PASSWORD_HASH_CONCURRENCY/);
  });

  it('falls back to exactly the defaults of the settings table (the one place they are written, also shown in the docs)', () => {
    const basic = ok({});
    const oidc = ok({ AUTHENTICATION_PROVIDER: 'custom-oidc', AUTHENTICATION_AUTHORITY: 'https://idp.example.com', AUTHENTICATION_CLIENT_ID: 'c' }).authentication.providers[0];
    const at = (root: unknown, keys: readonly string[]): unknown =>
      keys.reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined), root);
    // The few that loading turns into another shape: a resolved folder, no mapping, a list of scopes.
    const loaded = (path: DefaultedPath): unknown => {
      if (path === 'dataDir') return basic.dataDir === resolve(DEFAULTS.dataDir) ? DEFAULTS.dataDir : basic.dataDir;
      if (path === 'authentication.principalClaimsMapping') return basic.authentication.principalClaimsMapping ?? [];
      if (path === 'authentication.oidc.scopes') return oidc?.scopes.join(' ');
      if (path.startsWith('authentication.oidc.')) return at(oidc, [path.slice('authentication.oidc.'.length)]);
      return at(basic, path.split('.'));
    };
    const paths = Object.keys(DEFAULTS) as DefaultedPath[];
    expect(paths.filter((path) => !SETTINGS.some((setting) => setting.path === path))).toEqual([]);
    for (const path of paths) expect({ path, value: loaded(path) }).toEqual({ path, value: DEFAULTS[path] });
  });

  it('reads the OpenMetadata OneLogin settings (public PKCE client)', () => {
    const c = ok({
      AUTHENTICATION_PROVIDER: 'custom-oidc',
      CUSTOM_OIDC_AUTHENTICATION_PROVIDER_NAME: 'OneLogin',
      AUTHENTICATION_AUTHORITY: 'https://acme.onelogin.com/oidc/2',
      AUTHENTICATION_CLIENT_ID: 'abc-123',
      AUTHENTICATION_CALLBACK_URL: 'https://meta.acme.com/callback',
      AUTHENTICATION_PUBLIC_KEYS: '[https://acme.onelogin.com/oidc/2/certs, https://meta.acme.com/api/v1/system/config/jwks]',
      AUTHORIZER_ADMIN_PRINCIPALS: '[Alice,bob]',
    });
    expect(c.server.publicUrl).toBe('https://meta.acme.com');
    expect(c.authentication.providers).toHaveLength(1);
    expect(c.authentication.providers[0]).toMatchObject({
      id: 'oidc',
      displayName: 'OneLogin',
      authority: 'https://acme.onelogin.com/oidc/2',
      clientType: 'public',
      clientAuthMethod: 'none',
      clientSecret: null,
      callbackUrl: 'https://meta.acme.com/callback',
      scopes: ['openid', 'email', 'profile'],
    });
    expect(c.authentication.publicKeyUrls).toEqual([
      'https://acme.onelogin.com/oidc/2/certs',
      'https://meta.acme.com/api/v1/system/config/jwks',
    ]);
    expect(c.authorizer.adminPrincipals).toEqual(['alice', 'bob']);
    expect(c.authentication.basic.enabled).toBe(false);
  });

  it('builds the OneLogin issuer from a subdomain without doubling /oidc/2', () => {
    const c = ok({ AUTHENTICATION_PROVIDER: 'onelogin', ONELOGIN_SUBDOMAIN: 'acme', AUTHENTICATION_CLIENT_ID: 'x' });
    expect(c.authentication.providers[0]?.authority).toBe('https://acme.onelogin.com/oidc/2');
    expect(problems({ AUTHENTICATION_PROVIDER: 'onelogin', AUTHENTICATION_AUTHORITY: 'https://a.onelogin.com/oidc/2/oidc/2', AUTHENTICATION_CLIENT_ID: 'x' }).join()).toMatch(/twice/);
  });

  it('configures a confidential client with POST', () => {
    const c = ok({
      AUTHENTICATION_PROVIDER: 'custom-oidc',
      AUTHENTICATION_AUTHORITY: 'https://acme.onelogin.com/oidc/2',
      AUTHENTICATION_CLIENT_ID: 'abc',
      AUTHENTICATION_CLIENT_TYPE: 'confidential',
      OIDC_CLIENT_SECRET: 's3cret',
      OIDC_CLIENT_AUTH_METHOD: 'client_secret_post',
      OIDC_SCOPE: 'openid email profile groups',
    });
    expect(c.authentication.providers[0]).toMatchObject({ clientType: 'confidential', clientAuthMethod: 'client_secret_post' });
    expect(c.authentication.providers[0]?.scopes).toContain('groups');
    expect(JSON.stringify(redactConfig(c))).not.toContain('s3cret');
  });

  it('lists every problem at once, each naming the setting to change', () => {
    const list = problems({
      GATEHOUSE_ENV: 'prod',
      SERVER_PORT: 'eighty',
      AUTHENTICATION_PROVIDER: 'custom-oidc',
      AUTHENTICATION_AUTHORITY: 'http://acme.onelogin.com/oidc/2',
      AUTHENTICATION_CLIENT_TYPE: 'confidential',
      MAX_LOGIN_FAIL_ATTEMPTS: '0',
      AUTHENTICATION_JWT_PRINCIPAL_CLAIMS_MAPPING: '[username:sub]',
    });
    const text = list.join('\n');
    expect(text).toMatch(/GATEHOUSE_ENV must be one of development, production; got "prod"/);
    expect(text).toMatch(/SERVER_PORT must be a whole number/);
    expect(text).toMatch(/AUTHENTICATION_AUTHORITY must be an https URL/);
    expect(text).toMatch(/AUTHENTICATION_CLIENT_ID .*is required/);
    expect(text).toMatch(/OIDC_CLIENT_SECRET .*is required/);
    expect(text).toMatch(/MAX_LOGIN_FAIL_ATTEMPTS must be a whole number from 1/);
    expect(text).toMatch(/AUTHENTICATION_JWT_PRINCIPAL_CLAIMS_MAPPING .*must hold exactly/);
    expect(list.length).toBeGreaterThanOrEqual(7);
  });

  it('refuses a public client with a secret and a confidential client without one', () => {
    const base = { AUTHENTICATION_PROVIDER: 'custom-oidc', AUTHENTICATION_AUTHORITY: 'https://a.onelogin.com/oidc/2', AUTHENTICATION_CLIENT_ID: 'x' };
    expect(problems({ ...base, AUTHENTICATION_CLIENT_TYPE: 'public', OIDC_CLIENT_SECRET: 'y' }).join()).toMatch(/both ways/);
    expect(problems({ ...base, AUTHENTICATION_CLIENT_TYPE: 'confidential', OIDC_CLIENT_AUTH_METHOD: 'none', OIDC_CLIENT_SECRET: 'y' }).join()).toMatch(/must be client_secret_basic or client_secret_post/);
  });

  it('requires https and an encryption key in production', () => {
    const list = problems({ GATEHOUSE_ENV: 'production' }).join('\n');
    expect(list).toMatch(/GATEHOUSE_PUBLIC_URL .*must be an https URL in production/);
    expect(list).toMatch(/GATEHOUSE_ENCRYPTION_KEY .*is required in production/);
    const c = ok({ GATEHOUSE_ENV: 'production', GATEHOUSE_PUBLIC_URL: 'https://g.example.com', GATEHOUSE_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') });
    expect(c.environment).toBe('production');
  });

  it('accepts http only for loopback outside production', () => {
    const base = { AUTHENTICATION_PROVIDER: 'custom-oidc', AUTHENTICATION_CLIENT_ID: 'x' };
    expect(problems({ ...base, AUTHENTICATION_AUTHORITY: 'http://127.0.0.1:9090/oidc/2' })).toEqual([]);
    expect(problems({ ...base, AUTHENTICATION_AUTHORITY: 'http://127.0.0.2:9090/oidc/2' })).toEqual([]);
    expect(problems({ ...base, AUTHENTICATION_AUTHORITY: 'http://127.0.0.1.evil.example/oidc/2' }).join()).toMatch(/only for loopback hosts/);
    expect(problems({ ...base, AUTHENTICATION_AUTHORITY: 'http://10.0.0.5/oidc/2' }).join()).toMatch(/only for loopback hosts: 127.0.0.0\/8, ::1 and localhost/);
    expect(problems({ ...base, AUTHENTICATION_AUTHORITY: 'https://user:pw@a.example.com' }).join()).toMatch(/credentials/);
  });

  it('requires the callback at <public URL>/callback, where Gatehouse receives the answer', () => {
    const base = { AUTHENTICATION_PROVIDER: 'custom-oidc', AUTHENTICATION_CLIENT_ID: 'x', AUTHENTICATION_AUTHORITY: 'https://idp.example.com' };
    expect(problems({ ...base, GATEHOUSE_PUBLIC_URL: 'https://g.example.com', AUTHENTICATION_CALLBACK_URL: 'https://g.example.com/callback' })).toEqual([]);
    expect(problems({ ...base, AUTHENTICATION_CALLBACK_URL: 'http://127.0.0.1:8585/callback' })).toEqual([]); // public URL from its origin
    for (const callback of ['https://other.example.com/callback', 'https://g.example.com/auth/callback', 'https://g.example.com:8443/callback']) {
      expect(problems({ ...base, GATEHOUSE_PUBLIC_URL: 'https://g.example.com', AUTHENTICATION_CALLBACK_URL: callback }).join())
        .toMatch(/AUTHENTICATION_CALLBACK_URL .*must be https:\/\/g\.example\.com\/callback \(under the public URL/);
    }
  });

  it('parses lists in every OpenMetadata form', () => {
    expect(ok({ AUTHORIZER_ADMIN_PRINCIPALS: '["a","b"]' }).authorizer.adminPrincipals).toEqual(['a', 'b']);
    expect(ok({ AUTHORIZER_ADMIN_PRINCIPALS: 'a, b' }).authorizer.adminPrincipals).toEqual(['a', 'b']);
    expect(ok({ AUTHORIZER_ADMIN_PRINCIPALS: '[a]' }).authorizer.adminPrincipals).toEqual(['a']);
  });
});
