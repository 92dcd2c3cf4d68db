import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/index.js';
import { halvesMatch, keyBits, loadPrivateKey, loadPublicKey } from '../src/keys/index.js';
import { cliIo as io } from './support/cli-io.js';
import { startTestApp } from './support/test-app.js';

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('gatehouse CLI', () => {
  it('config check lists every problem and exits 1, or prints the redacted configuration', async () => {
    const bad = io({ SERVER_PORT: 'x', AUTHENTICATION_PROVIDER: 'ldap' });
    expect(await runCli(['config', 'check'], bad.io)).toBe(1);
    expect(bad.err.join('\n')).toMatch(/2 problem\(s\)[\s\S]*SERVER_PORT[\s\S]*AUTHENTICATION_PROVIDER/);
    // Nothing listens on port 1: serve could not start, so config check fails too (it now checks the database), and
    // the password stays redacted in the configuration and in the problem.
    const unreachable = io({ DATABASE_URL: 'postgres://u:hunter2@127.0.0.1:1/x', GATEHOUSE_DATA_DIR: dir });
    expect(await runCli(['config', 'check'], unreachable.io)).toBe(1);
    expect(unreachable.out.join('\n')).toContain('postgres://u:***@127.0.0.1:1/x');
    expect(unreachable.err.join('\n')).toMatch(/database postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/x \(DATABASE_URL\) cannot be reached/);
    expect([...unreachable.out, ...unreachable.err].join('\n')).not.toContain('hunter2');
    const good = io({ GATEHOUSE_DATA_DIR: dir });
    expect(await runCli(['config', 'check'], good.io)).toBe(0);
    expect(good.out.join('\n')).toContain('# OK: the configuration is valid and serve would start.');
  });

  it('keys generate writes a matching pair in DER (OpenMetadata) and PEM, private files 0600', async () => {
    const out = io();
    expect(await runCli(['keys', 'generate', '--out', join(dir, 'k')], out.io)).toBe(0);
    const priv = loadPrivateKey(join(dir, 'k', 'private_key.der'));
    const pub = loadPublicKey(join(dir, 'k', 'public_key.der'));
    expect(keyBits(pub)).toBe(2048);
    expect(await halvesMatch(priv, pub)).toBe(true);
    expect(await halvesMatch(loadPrivateKey(join(dir, 'k', 'private_key.pem')), loadPublicKey(join(dir, 'k', 'public_key.pem')))).toBe(true);
    expect(statSync(join(dir, 'k', 'private_key.der')).mode & 0o777).toBe(0o600);
    expect(out.out.join('\n')).toMatch(/JWT_KEY_ID=\S+/);
    expect(await runCli(['keys', 'generate', '--out', join(dir, 'k2'), '--bits', '1024'], io().io)).toBe(2);
  });

  it('token inspect explains an accepted and a refused token', async () => {
    const t = await startTestApp();
    try {
      t.clock.set(Date.now());
      const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
      const admin = await t.adminToken();
      const good = io();
      expect(await runCli(['token', 'inspect', admin, '--server', base, '--issuer', 'open-metadata.org'], good.io)).toBe(0);
      expect(good.out.join('\n')).toMatch(/PASS {2}signature[\s\S]*PASS {2}server verdict +accepted as user "admin"/);
      const forged = `${admin.slice(0, -6)}AAAAAA`;
      const bad = io();
      expect(await runCli(['token', 'inspect', forged, '--server', base], bad.io)).toBe(1);
      expect(bad.out.join('\n')).toMatch(/FAIL {2}signature[\s\S]*AUTH_TOKEN_SIGNATURE[\s\S]*REFUSED/);
    } finally {
      await t.close();
    }
  });

  it('unknown commands and flags are errors with help', async () => {
    const unknown = io();
    expect(await runCli(['frobnicate'], unknown.io)).toBe(2);
    expect(unknown.out.join('\n')).toMatch(/Commands:/);
    const flag = io();
    expect(await runCli(['keys', 'generate', '--nope'], flag.io)).toBe(1);
    expect(flag.err.join('\n')).toMatch(/Unknown option/);
    expect(readFileSync('package.json', 'utf8')).toContain('"gatehouse": "bin/gatehouse.js"');
  });

  it('--env-file reads a systemd environment file: a value with spaces stays one value, the file wins', async () => {
    const file = join(dir, 'gatehouse.env');
    writeFileSync(file, [
      '# as in /etc/gatehouse/gatehouse.env',
      `GATEHOUSE_DATA_DIR=${dir}`,
      'AUTHENTICATION_PROVIDER=custom-oidc',
      'CUSTOM_OIDC_AUTHENTICATION_PROVIDER_NAME=One Login',
      'AUTHENTICATION_AUTHORITY=http://127.0.0.1:9/oidc/2',
      'AUTHENTICATION_CLIENT_ID=gatehouse',
      'AUTHENTICATION_CALLBACK_URL=http://127.0.0.1:8585/callback',
      'OIDC_SCOPE=openid email profile groups',
    ].join('\n'));
    const checked = io({ OIDC_SCOPE: 'openid' });
    expect(await runCli(['--env-file', file, 'config', 'check'], checked.io)).toBe(0);
    const printed = checked.out.join('\n');
    expect(printed).toMatch(/displayName: One Login\n/);
    expect(printed).toMatch(/scopes:\n\s+- openid\n\s+- email\n\s+- profile\n\s+- groups\n/);
    // After the command's name too, and as --env-file=path.
    expect(await runCli(['config', 'check', `--env-file=${file}`], io().io)).toBe(0);
    const missing = io();
    expect(await runCli(['config', 'check', '--env-file', join(dir, 'nope.env')], missing.io)).toBe(2);
    expect(missing.err.join('\n')).toMatch(/--env-file .*nope\.env: ENOENT/);
    expect(await runCli(['config', 'check', '--env-file'], io().io)).toBe(2);
  });
});
