import { request } from 'node:http';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startDevIdp, type RunningDevIdp } from '../../src/devidp/index.js';
import { startTestIdp, testConfig } from './support.js';
import { freePort } from '../support/free-port.js';

let idp: RunningDevIdp | undefined;
afterEach(async () => {
  await idp?.close();
  idp = undefined;
});

async function json(url: string): Promise<Record<string, unknown>> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

/** A raw request with any Host / X-Forwarded-* headers (fetch does not let a caller set Host). */
function rawGet(url: string, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString('utf8')));
      res.on('end', () => resolve(body));
    }).on('error', reject).end();
  });
}


describe('the development IdP server', () => {
  it('has OneLogin\'s issuer shape and endpoint paths in its discovery document', async () => {
    idp = await startTestIdp();
    expect(idp.issuer).toBe(`http://127.0.0.1:${idp.port}/oidc/2`);
    const doc = await json(`${idp.issuer}/.well-known/openid-configuration`);
    expect(doc).toMatchObject({
      issuer: idp.issuer,
      authorization_endpoint: `${idp.issuer}/auth`,
      token_endpoint: `${idp.issuer}/token`,
      userinfo_endpoint: `${idp.issuer}/me`,
      jwks_uri: `${idp.issuer}/certs`,
      end_session_endpoint: `${idp.issuer}/logout`,
      introspection_endpoint: `${idp.issuer}/token/introspection`,
      revocation_endpoint: `${idp.issuer}/token/revocation`,
      id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['S256'],
      response_types_supported: ['code'],
      backchannel_logout_supported: true,
    });
    expect(doc['grant_types_supported']).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token']));
    expect(doc['grant_types_supported']).not.toContain('client_credentials');
    expect(doc['token_endpoint_auth_methods_supported']).toEqual(['none', 'client_secret_basic', 'client_secret_post']);
    expect(doc['scopes_supported']).toEqual(expect.arrayContaining(['openid', 'profile', 'email', 'groups']));
    // Nothing OneLogin lacks, so an RP cannot come to depend on it here.
    expect(doc).not.toHaveProperty('pushed_authorization_request_endpoint');
    expect(doc).not.toHaveProperty('dpop_signing_alg_values_supported');
  });

  it('publishes one public RS256 key and never its private parts; each start has a new key', async () => {
    idp = await startTestIdp();
    const { keys } = (await json(`${idp.issuer}/certs`)) as { keys: Record<string, unknown>[] };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(Object.keys(keys[0] ?? {}).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    const other = await startTestIdp();
    try {
      const { keys: otherKeys } = (await json(`${other.issuer}/certs`)) as { keys: Record<string, unknown>[] };
      expect(otherKeys[0]?.['kid']).not.toBe(keys[0]?.['kid']);
      expect(otherKeys[0]?.['n']).not.toBe(keys[0]?.['n']);
    } finally {
      await other.close();
    }
  });

  it('ignores Host and X-Forwarded-* headers when naming its endpoints', async () => {
    idp = await startTestIdp();
    const body = await rawGet(`${idp.issuer}/.well-known/openid-configuration`, { host: 'attacker.example', 'x-forwarded-host': 'attacker.example', 'x-forwarded-proto': 'https' });
    expect(body).toContain(`"issuer":"${idp.issuer}"`);
    expect(body).not.toContain('attacker.example');
  });

  it('answers 404 outside its issuer path, even for paths that resolve into it', async () => {
    idp = await startTestIdp();
    const outside = await fetch(`http://127.0.0.1:${idp.port}/.well-known/openid-configuration`);
    expect(outside.status).toBe(404);
    expect(await outside.text()).toContain(idp.issuer);
    expect((await fetch(`http://127.0.0.1:${idp.port}/oidc/22/.well-known/openid-configuration`)).status).toBe(404);
  });

  it('refuses to start in production mode, before listening', async () => {
    const port = await freePort();
    await expect(startDevIdp({ config: await testConfig(), port, environment: 'production' })).rejects.toMatchObject({ name: 'GatehouseError', code: 'DEVIDP_PRODUCTION' });
    // The port is still free: nothing was started.
    await new Promise<void>((resolve, reject) => {
      const probe = createServer().once('error', reject).listen(port, '127.0.0.1', () => probe.close(() => resolve()));
    });
  });

  it('close() returns promptly with keep-alive connections open, and the port is released', async () => {
    idp = await startTestIdp();
    const { issuer, port } = idp;
    await json(`${issuer}/.well-known/openid-configuration`);
    const started = Date.now();
    await idp.close();
    idp = undefined;
    expect(Date.now() - started).toBeLessThan(2000);
    await expect(fetch(`${issuer}/.well-known/openid-configuration`)).rejects.toThrow();
    const again = await startDevIdp({ config: await testConfig(), port });
    expect(again.port).toBe(port);
    idp = again;
  });
});
