import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/index.js';
import { parseEnvFile } from '../src/config/index.js';
import { cliIo } from './support/cli-io.js';
import { SKIP_POSTGRES, TEST_POSTGRES_URL } from './support/databases.js';
import { documentationFiles, gatehouseCommands, readBlocks, repositoryPaths, type ShellBlock } from './support/doc-blocks.js';
import { freePort } from './support/free-port.js';

const ROOT = join(import.meta.dirname, '..');
const blocks = readBlocks(ROOT);
const where = (b: ShellBlock) => `${b.file}:${b.line}`;
const sandboxes: string[] = [];
afterAll(() => sandboxes.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A fresh folder that looks like the checkout after `npm ci` (linked, so nothing the block writes lands in it). */
function sandbox(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-docs-'));
  sandboxes.push(dir);
  for (const entry of ['bin', 'dist', 'node_modules', 'config', 'deploy', 'ui', 'package.json']) symlinkSync(join(ROOT, entry), join(dir, entry));
  return dir;
}


/** Runs a block under `bash -euo pipefail` with only PATH and HOME set; stops the jobs it left running. */
function runBlock(code: string, cwd: string, limitMs: number): Promise<{ code: number | null; output: string }> {
  const child = spawn('bash', ['-euo', 'pipefail', '-c', code], {
    cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env['PATH'] ?? '', HOME: cwd },
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
  const stopJobs = () => { try { process.kill(-(child.pid as number), 'SIGTERM'); } catch { /* already gone */ } };
  return new Promise((resolve) => {
    const timer = setTimeout(() => { stopJobs(); resolve({ code: null, output }); }, limitMs);
    child.on('exit', (code) => { clearTimeout(timer); stopJobs(); resolve({ code, output }); });
  });
}

describe('every shell block in README.md and docs/ is runnable or visibly manual', () => {
  it('finds the documentation and its blocks', () => {
    expect(documentationFiles(ROOT)).toContain('docs/onelogin.md');
    expect(blocks.filter((b) => b.marker === 'runnable').length).toBeGreaterThan(0);
  });

  it('each shell block is marked ```sh runnable or ```sh manual (see tests/support/doc-blocks.ts)', () => {
    expect(blocks.filter((b) => !b.marker).map(where)).toEqual([]);
  });

  it('a manual block says what it needs on its first line, parses, and names files and commands that exist', async () => {
    const problems: string[] = [];
    for (const b of blocks.filter((x) => x.marker === 'manual')) {
      if (!/^# Needs /.test(b.code.trimStart())) problems.push(`${where(b)}: first line must be "# Needs …" (why it is not run)`);
      const syntax = spawnSync('bash', ['-n'], { input: b.code, encoding: 'utf8' });
      if (syntax.status !== 0) problems.push(`${where(b)}: ${syntax.stderr.trim()}`);
      for (const path of repositoryPaths(b.code)) if (!existsSync(join(ROOT, path))) problems.push(`${where(b)}: ${path} does not exist`);
      for (const words of gatehouseCommands(b.code)) {
        const help = cliIo({});
        if (words.length === 0 || (await runCli([...words, '--help'], help.io)) !== 0) problems.push(`${where(b)}: no command "gatehouse ${words.join(' ')}"`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('no document tells the reader to run `npx gatehouse` (reinstalls the checkout; elsewhere another package) or /usr/bin/gatehouse', () => {
    const files = [...documentationFiles(ROOT), 'deploy/docker/compose.yaml', 'deploy/systemd/gatehouse.service', 'deploy/systemd/gatehouse.env.example'];
    const offending = files.filter((f) => /npx gatehouse|\/usr\/bin\/gatehouse/.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(offending).toEqual([]);
  });

  for (const b of blocks.filter((x) => x.marker === 'runnable')) {
    it(`runs ${where(b)} as written (ports 8585 and 9090 moved to free ones)`, async () => {
      const [gatehousePort, idpPort] = [await freePort(), await freePort()];
      const code = b.code.replace(/\b8585\b/g, String(gatehousePort)).replace(/\b9090\b/g, String(idpPort));
      const result = await runBlock(code, sandbox(), 90_000);
      expect(result.code, result.output).toBe(0);
    }, 120_000);
  }
});

describe('deploy/systemd/gatehouse.env.example, filled in, passes the checks a production start runs', () => {
  it('read as systemd reads it (spaces in OIDC_SCOPE), with a generated key and its JWT_KEY_ID', async () => {
    const dir = sandbox();
    const keys = cliIo({});
    expect(await runCli(['keys', 'generate', '--out', join(dir, 'keys')], keys.io)).toBe(0);
    const kid = /JWT_KEY_ID=(\S+)/.exec(keys.out.join('\n'))?.[1] as string;
    const fill: Record<string, string> = {
      GATEHOUSE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      AUTHENTICATION_AUTHORITY: 'https://acme.onelogin.com/oidc/2',
      AUTHENTICATION_CLIENT_ID: '0oa1b2c3-client-id',
      AUTHENTICATION_PUBLIC_KEYS: '[https://acme.onelogin.com/oidc/2/certs,https://gatehouse.example.com/api/v1/system/config/jwks]',
      AUTHORIZER_ADMIN_PRINCIPALS: '[alice]',
      JWT_KEY_ID: kid,
      // The database: the test server, or SQLite in the data folder on a machine without PostgreSQL.
      DATABASE_URL: SKIP_POSTGRES ? '' : TEST_POSTGRES_URL,
    };
    const text = readFileSync(join(ROOT, 'deploy', 'systemd', 'gatehouse.env.example'), 'utf8')
      .replaceAll('/etc/gatehouse/keys', join(dir, 'keys'))
      .replaceAll('/var/lib/gatehouse', join(dir, 'data'))
      .split('\n')
      .map((line) => {
        const name = /^([A-Z_]+)=/.exec(line)?.[1];
        return name && name in fill ? `${name}=${fill[name]}` : line;
      })
      .join('\n');
    expect(text.split('\n').filter((l) => !l.startsWith('#') && l.includes('CHANGE-ME'))).toEqual([]);
    const parsed = parseEnvFile(text);
    expect(parsed.warnings).toEqual([]);
    expect(parsed.env['OIDC_SCOPE']).toBe('openid email profile groups');
    expect(parsed.env['GATEHOUSE_TRUST_PROXY']).toBe('true');
    const file = join(dir, 'gatehouse.env');
    writeFileSync(file, text);
    const checked = cliIo({ PATH: process.env['PATH'] ?? '' });
    const code = await runCli(['--env-file', file, 'config', 'check'], checked.io);
    expect(code, [...checked.out, ...checked.err].join('\n')).toBe(0);
    expect(checked.out.join('\n')).toContain('environment: production');
  });
});
