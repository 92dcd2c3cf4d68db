import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/index.js';
import { loadConfig } from '../src/config/index.js';
import { startGatehouse } from '../src/main.js';
import { CALLBACK, startTestIdp } from './devidp/support.js';
import { cliIo } from './support/cli-io.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const fixture = (name: string) => join(import.meta.dirname, 'fixtures', 'keys', name);

/** A fresh data folder: SQLite database and development keys go there. */
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-check-'));
  dirs.push(dir);
  return dir;
}

const PRODUCTION = {
  GATEHOUSE_ENV: 'production',
  GATEHOUSE_PUBLIC_URL: 'https://gatehouse.example.com',
  GATEHOUSE_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};
const SSO = { AUTHENTICATION_PROVIDER: 'custom-oidc', AUTHENTICATION_CLIENT_ID: 'gh-public' };

async function configCheck(env: Record<string, string>, args: string[] = []) {
  const run = cliIo(env);
  const code = await runCli(['config', 'check', ...args], run.io);
  return { code, out: run.out.join('\n'), err: run.err.join('\n') };
}

/**
 * What `gatehouse serve` does before it listens (configOrReport, then startGatehouse), on port 0. Returns each problem
 * it refuses with, or [] when it started (then it is stopped again).
 */
async function serveRefusals(env: Record<string, string>): Promise<string[]> {
  const loaded = loadConfig({ env });
  if (!loaded.ok) return loaded.problems;
  try {
    const running = await startGatehouse(loaded.config);
    await running.close();
    return [];
  } catch (error) {
    const lines = (error as Error).message.split('\n  - ');
    // The first line is the catalogue message; a single-problem error without a list is itself the problem.
    return lines.length > 1 ? lines.slice(1) : lines;
  }
}

/** config check and serve agree: both refuse, config check lists each of serve's problems word for word. */
async function expectBothRefuse(env: Record<string, string>, expected: RegExp): Promise<string> {
  const check = await configCheck(env);
  expect(check.code).toBe(1);
  const refusals = await serveRefusals(env);
  expect(refusals.length).toBeGreaterThan(0);
  for (const problem of refusals) expect(check.err).toContain(`  - ${problem}`);
  expect(refusals.join('\n')).toMatch(expected);
  return check.err;
}

describe('gatehouse config check runs the checks serve runs', () => {
  it('refuses a production configuration with development keys (and the bootstrap admin\'s initial password), like serve', async () => {
    const dir = dataDir();
    // A development start leaves a development key (and the bootstrap admin) in the database.
    const dev = await startGatehouse((loadConfig({ env: { GATEHOUSE_DATA_DIR: dir, SERVER_PORT: '0' } }) as { ok: true; config: Parameters<typeof startGatehouse>[0] }).config);
    await dev.close();
    const err = await expectBothRefuse({ ...PRODUCTION, GATEHOUSE_DATA_DIR: dir, SERVER_PORT: '0' }, /is a development key/);
    expect(err).toMatch(/bootstrap administrator "admin" still has its initial password/);
  });

  it('refuses a missing, a mismatched and (in production) a short key file, like serve', async () => {
    await expectBothRefuse({ GATEHOUSE_DATA_DIR: dataDir(), SERVER_PORT: '0', RSA_PRIVATE_KEY_FILE_PATH: '/nonexistent/private_key.der' }, /private_key\.der cannot be read/);
    await expectBothRefuse({
      GATEHOUSE_DATA_DIR: dataDir(), SERVER_PORT: '0',
      RSA_PRIVATE_KEY_FILE_PATH: fixture('rsa2048-test-fixture-private.pem'), RSA_PUBLIC_KEY_FILE_PATH: fixture('other-rsa2048-test-fixture-public.pem'),
    }, /is not the public half of RSA_PRIVATE_KEY_FILE_PATH/);
    await expectBothRefuse({
      ...PRODUCTION, GATEHOUSE_DATA_DIR: dataDir(), SERVER_PORT: '0', AUTHENTICATION_BASIC_ENABLED: 'false', ...SSO,
      AUTHENTICATION_AUTHORITY: 'https://idp.example.com', RSA_PRIVATE_KEY_FILE_PATH: fixture('rsa1024-test-fixture-private.der'),
    }, /has 1024 bits; production needs 2048 or more/);
  });

  it('refuses a JWT_KEY_ID that already names another stored key, like serve', async () => {
    const dir = dataDir();
    const first = { GATEHOUSE_DATA_DIR: dir, SERVER_PORT: '0', JWT_KEY_ID: 'k1', RSA_PRIVATE_KEY_FILE_PATH: fixture('rsa2048-test-fixture-private.pem') };
    expect((await configCheck(first)).code).toBe(0);
    expect(await serveRefusals(first)).toEqual([]);
    await expectBothRefuse({ ...first, RSA_PRIVATE_KEY_FILE_PATH: fixture('other-rsa2048-test-fixture-private.pem') }, /JWT_KEY_ID k1 is already used by another key/);
  });

  it('refuses a group mapped to a role that does not exist, like serve, and never changes the database', async () => {
    const dir = dataDir();
    const env = {
      GATEHOUSE_DATA_DIR: dir, SERVER_PORT: '0', ...SSO, AUTHENTICATION_AUTHORITY: 'http://127.0.0.1:9/oidc/2',
      GATEHOUSE_GROUP_ROLE_MAPPING: JSON.stringify({ stewards: ['DataSteward', 'DataStewards'] }),
    };
    const check = await configCheck(env);
    expect(check.code).toBe(1);
    // config check only reads: no SQLite file was created, so no migration, key or account either.
    expect(existsSync(join(dir, 'gatehouse.db'))).toBe(false);
    const err = await expectBothRefuse(env, /group "stewards" maps to the role "DataStewards", which does not exist/);
    expect(err).not.toMatch(/role "DataSteward",/);
  });

  it('refuses a callback URL that is not under the public URL, like serve', async () => {
    await expectBothRefuse({
      GATEHOUSE_DATA_DIR: dataDir(), ...SSO, AUTHENTICATION_AUTHORITY: 'https://idp.example.com',
      GATEHOUSE_PUBLIC_URL: 'https://gatehouse.example.com', AUTHENTICATION_CALLBACK_URL: 'https://elsewhere.example.com/callback',
    }, /AUTHENTICATION_CALLBACK_URL .*must be https:\/\/gatehouse\.example\.com\/callback/);
  });

  it('accepts an http provider on 127.0.0.2 outside production (loopback), and serve starts with it', async () => {
    const env = { GATEHOUSE_DATA_DIR: dataDir(), SERVER_PORT: '0', ...SSO, AUTHENTICATION_AUTHORITY: 'http://127.0.0.2:9/oidc/2' };
    const check = await configCheck(env);
    expect(check.err).toBe('');
    expect(check.code).toBe(0);
    expect(await serveRefusals(env)).toEqual([]);
    // Not loopback: both refuse.
    await expectBothRefuse({ ...env, AUTHENTICATION_AUTHORITY: 'http://10.0.0.5/oidc/2' }, /plain http is allowed only for loopback hosts/);
  });
});

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe('gatehouse config check --online', () => {
  it('reaches the development IdP: discovery, JWKS key ids and clock skew', async () => {
    const idp = await startTestIdp();
    try {
      const env = { GATEHOUSE_DATA_DIR: dataDir(), ...SSO, AUTHENTICATION_CLIENT_ID: 'rp-public', AUTHENTICATION_AUTHORITY: idp.issuer, AUTHENTICATION_CALLBACK_URL: CALLBACK };
      const check = await configCheck(env, ['--online']);
      expect(check.err).toBe('');
      expect(check.code).toBe(0);
      expect(check.out).toMatch(/# Provider oidc: discovery ok, JWKS key ids \[[^\]\s]+\], clock skew -?[01] s/);
      expect(check.out).toContain('every provider answered');
    } finally {
      await idp.close();
    }
  });

  it('fails for a provider nobody answers, which the offline check accepts', async () => {
    const env = { GATEHOUSE_DATA_DIR: dataDir(), ...SSO, AUTHENTICATION_AUTHORITY: `http://127.0.0.1:${await closedPort()}/oidc/2` };
    expect((await configCheck(env)).code).toBe(0);
    const online = await configCheck(env, ['--online']);
    expect(online.code).toBe(1);
    expect(online.out).toMatch(/discovery FAILED \(SSO_PROVIDER_UNAVAILABLE\)/);
    expect(online.err).toMatch(/provider "oidc" \(http:\/\/127\.0\.0\.1:\d+\/oidc\/2\): discovery failed with SSO_PROVIDER_UNAVAILABLE/);
  });
});
