import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startDevIdpFromArgs } from '../../src/cli/commands/dev-idp.js';
import { runCli, type CliIo } from '../../src/cli/index.js';
import { hashPassword } from '../../src/crypto/index.js';

function bufferIo(env: Record<string, string> = {}): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, env, out: (l) => lines.push(l), err: (l) => errors.push(l) };
}

describe('gatehouse dev-idp', () => {
  it('starts with the example file and prints issuer, clients and demo users (plain demo passwords only)', async () => {
    const io = bufferIo();
    const idp = await startDevIdpFromArgs(['--port', '0'], io);
    if (typeof idp === 'number') throw new Error(`exit ${idp}: ${io.errors.join('\n')}`);
    try {
      const text = io.lines.join('\n');
      expect(text).toContain('NOT for production');
      expect(text).toContain(`issuer     ${idp.issuer}`);
      expect(text).toContain(`discovery  ${idp.issuer}/.well-known/openid-configuration`);
      expect(text).toMatch(/client gatehouse: public, PKCE S256/);
      expect(text).toMatch(/client gatehouse-confidential: confidential, secret in the Authorization header/);
      expect(text).toMatch(/user alice +password alice-demo-password +groups data-stewards, admins/);
      expect(text).toMatch(/user bob +password bob-demo-password +groups data-consumers/);
      // Client secrets stay in the file.
      expect(text).not.toContain('demo-secret-not-for-production');
      expect((await fetch(`${idp.issuer}/.well-known/openid-configuration`)).status).toBe(200);
    } finally {
      await idp.close();
    }
  });

  it('does not print anything about the password of a user whose file holds only a hash', async () => {
    const hash = await hashPassword('a-secret-nobody-prints');
    const file = join(mkdtempSync(join(tmpdir(), 'devidp-cli-')), 'idp.yaml');
    writeFileSync(file, `port: 0\nclients:\n  - client_id: app\n    redirect_uris: [http://127.0.0.1:1/cb]\nusers:\n  - sub: "1"\n    preferred_username: dora\n    email: dora@example.com\n    name: Dora\n    password_hash: "${hash}"\n`);
    const io = bufferIo();
    const idp = await startDevIdpFromArgs(['--config', file], io);
    if (typeof idp === 'number') throw new Error(`exit ${idp}: ${io.errors.join('\n')}`);
    await idp.close();
    const text = io.lines.join('\n');
    expect(text).toMatch(/user dora +password \(argon2id hash in the file\)/);
    expect(text).not.toContain(hash);
    expect(text).not.toContain('a-secret-nobody-prints');
  });

  it('refuses a bad port, an unknown option and production mode without starting', async () => {
    for (const port of ['abc', '70000', '-1', '90.5']) {
      const io = bufferIo();
      expect(await startDevIdpFromArgs([`--port=${port}`], io)).toBe(2);
      expect(io.errors.join('\n')).toContain('--port must be a whole number from 0 to 65535');
    }
    const positional = bufferIo();
    expect(await startDevIdpFromArgs(['my-idp.yaml'], positional)).toBe(2);
    expect(positional.errors.join('\n')).toContain('Unexpected argument "my-idp.yaml"; use --config <file>');
    const unknown = bufferIo();
    expect(await runCli(['dev-idp', '--prot', '9090'], unknown)).toBe(1);
    expect(unknown.errors.join('\n')).toMatch(/gatehouse dev-idp: .*--prot/);
    const production = bufferIo({ GATEHOUSE_ENV: 'production' });
    expect(await runCli(['dev-idp', '--port', '0'], production)).toBe(1);
    expect(production.errors.join('\n')).toContain('[DEVIDP_PRODUCTION] The development IdP refuses to run in production mode.');
    expect(production.lines).toEqual([]);
  });
});
