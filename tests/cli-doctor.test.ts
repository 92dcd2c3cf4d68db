import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/index.js';
import { loadConfigOrThrow } from '../src/config/index.js';
import { startGatehouse } from '../src/main.js';
import { cliIo } from './support/cli-io.js';
import { freePort } from './support/serve-process.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const fixture = (name: string) => join(import.meta.dirname, 'fixtures', 'keys', name);
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-doctor-'));
  dirs.push(dir);
  return dir;
}

async function doctor(env: Record<string, string>) {
  const run = cliIo(env);
  const code = await runCli(['doctor'], run.io);
  return { code, out: run.out.join('\n'), err: run.err.join('\n') };
}

const PRODUCTION = {
  GATEHOUSE_ENV: 'production',
  GATEHOUSE_PUBLIC_URL: 'https://gatehouse.invalid',
  GATEHOUSE_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  RSA_PRIVATE_KEY_FILE_PATH: fixture('rsa2048-test-fixture-private.pem'),
};

describe('gatehouse doctor', () => {
  it('judges a running development configuration as production would: each finding with its fix, exit 1', async () => {
    const port = await freePort();
    const env = { GATEHOUSE_DATA_DIR: dataDir(), SERVER_PORT: String(port), GATEHOUSE_ADMIN_PASSWORD: 'initial-Admin-pass-1' };
    const running = await startGatehouse(loadConfigOrThrow({ env }));
    try {
      const result = await doctor(env);
      expect(result.code).toBe(1);
      expect(result.out).toMatch(new RegExp(`^OK +Own JWKS reachable at http://127\\.0\\.0\\.1:${port}/api/v1/system/config/jwks: key ids \\[.+\\]$`, 'm'));
      expect(result.out).toMatch(/^FAIL +The public URL http:\/\/127\.0\.0\.1:\d+ is not https.*\n +fix: Set GATEHOUSE_PUBLIC_URL/m);
      expect(result.out).toMatch(/^FAIL +GATEHOUSE_ENCRYPTION_KEY is not set.*\n +fix: Set GATEHOUSE_ENCRYPTION_KEY to `openssl rand -base64 32`/m);
      // The bootstrap administrator still has its initial password (the database is read, live).
      expect(result.out).toMatch(/^FAIL .*\n +fix: Sign in as that administrator once/m);
      expect(result.err).toContain('Production would not start');
    } finally {
      await running.close();
    }
  });

  it('passes a production configuration (exit 0), warning about what would not work: provider and own JWKS unreachable, not trusted', async () => {
    const keys = dataDir();
    const generated = cliIo();
    expect(await runCli(['keys', 'generate', '--out', join(keys, 'k')], generated.io)).toBe(0);
    const setting = (name: string) => generated.out.find((l) => l.trim().startsWith(`${name}=`))?.trim().slice(name.length + 1) ?? '';
    const result = await doctor({
      ...PRODUCTION, GATEHOUSE_DATA_DIR: dataDir(), AUTHENTICATION_PUBLIC_KEYS: '[https://idp.invalid/oidc/2/certs]',
      RSA_PRIVATE_KEY_FILE_PATH: setting('RSA_PRIVATE_KEY_FILE_PATH'), RSA_PUBLIC_KEY_FILE_PATH: setting('RSA_PUBLIC_KEY_FILE_PATH'), JWT_KEY_ID: setting('JWT_KEY_ID'),
      AUTHENTICATION_PROVIDER: 'custom-oidc', AUTHENTICATION_CLIENT_ID: 'gh-public', AUTHENTICATION_AUTHORITY: 'https://idp.invalid/oidc/2',
    });
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^OK +The public URL uses https\.$/m);
    expect(result.out).toMatch(/^WARN +AUTHENTICATION_PUBLIC_KEYS does not include Gatehouse's own JWKS \(https:\/\/gatehouse\.invalid\/api\/v1\/system\/config\/jwks\).*\n +fix: Add https:\/\/gatehouse\.invalid\/api\/v1\/system\/config\/jwks to AUTHENTICATION_PUBLIC_KEYS/m);
    expect(result.out).toMatch(/^WARN +Own JWKS at https:\/\/gatehouse\.invalid\/api\/v1\/system\/config\/jwks is not reachable from here.*\n +fix: Start Gatehouse/m);
    expect(result.out).toMatch(/^WARN +provider "oidc" \(https:\/\/idp\.invalid\/oidc\/2\): discovery failed/m);
    expect(result.out).toContain('# Production would start with this configuration; 3 warning(s) above.');
  });

  it('fails what serve refuses in production (a 1024-bit key), with its fix', async () => {
    const result = await doctor({ ...PRODUCTION, GATEHOUSE_DATA_DIR: dataDir(), RSA_PRIVATE_KEY_FILE_PATH: fixture('rsa1024-test-fixture-private.der') });
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/^FAIL .*1024.*\n +fix: /m);
  });
});
