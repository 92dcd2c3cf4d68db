import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../src/cli/index.js';
import { halvesMatch, keyBits, loadPrivateKey, loadPublicKey } from '../src/keys/index.js';
import { startTestApp } from './support/test-app.js';

function io(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), env };
  return { io: value, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('gatehouse CLI', () => {
  it('config check lists every problem and exits 1, or prints the redacted configuration', async () => {
    const bad = io({ SERVER_PORT: 'x', AUTHENTICATION_PROVIDER: 'ldap' });
    expect(await runCli(['config', 'check'], bad.io)).toBe(1);
    expect(bad.err.join('\n')).toMatch(/2 problem\(s\)[\s\S]*SERVER_PORT[\s\S]*AUTHENTICATION_PROVIDER/);
    const good = io({ DATABASE_URL: 'postgres://u:hunter2@db:5432/x', GATEHOUSE_DATA_DIR: dir });
    expect(await runCli(['config', 'check'], good.io)).toBe(0);
    expect(good.out.join('\n')).toContain('postgres://u:***@db:5432/x');
    expect(good.out.join('\n')).not.toContain('hunter2');
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
});
