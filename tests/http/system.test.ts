import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('system routes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      AUTHENTICATION_PROVIDER: 'custom-oidc',
      CUSTOM_OIDC_AUTHENTICATION_PROVIDER_NAME: 'OneLogin',
      AUTHENTICATION_AUTHORITY: 'http://127.0.0.1:9/oidc/2',
      AUTHENTICATION_CLIENT_ID: 'client-1',
      AUTHENTICATION_CLIENT_TYPE: 'confidential',
      OIDC_CLIENT_SECRET: 'very-secret-value',
      GATEHOUSE_BASIC_AUTH_ENABLED: 'true',
      GATEHOUSE_MIN_PASSWORD_LENGTH: '14',
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('reports health and readiness', async () => {
    expect((await t.call({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await t.call({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ ready: true, database: 'ok', migrations: 'ok' });
  });

  it('diagnostics: the production checklist from the start-up checks and the provider probe, secrets redacted', async () => {
    const res = await t.call({ method: 'GET', url: '/api/v1/system/diagnostics', token: await t.adminToken() });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ checklist: { id: string; ok: boolean; message: string }[]; providers: { id: string; discovery: { ok: boolean; error?: string } }[] }>();
    expect(body.checklist.map((c) => [c.id, c.ok])).toEqual([['signing-keys', false], ['https', false], ['encryption-key', false], ['bootstrap-admin', true]]);
    expect(body.checklist[0]?.message).toMatch(/is a development key/);
    // Nobody listens on port 9: discovery fails with a code, as `config check --online` reports it.
    expect(body.providers).toEqual([expect.objectContaining({ id: 'oidc', discovery: { ok: false, error: 'SSO_PROVIDER_UNAVAILABLE' } })]);
    expect(res.body).not.toContain('very-secret-value');
  });

  it('publishes the auth configuration without secrets', async () => {
    const res = await t.call({ method: 'GET', url: '/api/v1/system/config/auth' });
    expect(res.json()).toMatchObject({
      provider: 'custom-oidc', providerName: 'OneLogin', clientType: 'confidential', clientId: 'client-1',
      providers: [{ id: 'oidc', displayName: 'OneLogin' }], basicEnabled: true, basicAdminsOnly: true,
      // The password rule as configured, for the change-password form (not the default 8).
      passwordMinLength: 14,
    });
    expect(res.body).not.toContain('very-secret-value');
    const authorizer = await t.call({ method: 'GET', url: '/api/v1/system/config/authorizer' });
    expect(authorizer.json()).not.toHaveProperty('adminPrincipals');
    expect((await t.call({ method: 'GET', url: '/api/v1/system/version' })).json()).toHaveProperty('version');
  });

  it('serves an OpenAPI 3 description generated from the route schemas', async () => {
    const doc = (await t.call({ method: 'GET', url: '/api/v1/docs' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/users', '/api/v1/users/login', '/api/v1/roles', '/api/v1/audit']));
    expect(doc.paths['/api/v1/users'].post.requestBody.content['application/json'].schema.additionalProperties).toBe(false);
  });

  it('asks for authentication on protected routes and answers 404 on unknown ones', async () => {
    const res = await t.call({ method: 'GET', url: '/api/v1/users' });
    expect([res.statusCode, res.json().code]).toEqual([401, 'AUTH_REQUIRED']);
    expect((await t.call({ method: 'GET', url: '/api/v1/nothing-here' })).statusCode).toBe(404);
  });
});
