import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/index.js';
import { createRoleStore, createUserStore, migrateToLatest, openDatabase } from '../src/storage/index.js';
import { cliIo } from './support/cli-io.js';

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-access-'));
const config = join(dir, 'gatehouse.yaml');
const env = { GATEHOUSE_DATA_DIR: dir, DATABASE_URL: `sqlite:${join(dir, 'gatehouse.db')}` };

beforeAll(async () => {
  writeFileSync(config, [
    'gateway:',
    '  caseInsensitiveHosts: [data.example.com]',
    '  rules:',
    '    - { pathPrefix: /api, methods: [GET], allow: [DataConsumer, DataSteward, Admin] }',
    '    - { pathPrefix: /api, allow: [DataSteward, Admin] }',
    '    - { pathPrefix: /admin, allow: [Admin] }',
    '    - { pathPrefix: /healthz, allow: public }',
  ].join('\n'));
  // A database with one user holding DataConsumer, as serve would have left it.
  const handle = openDatabase({ url: env.DATABASE_URL });
  try {
    await migrateToLatest(handle);
    const now = Date.now();
    await createUserStore(handle.db, handle.engine).insert({
      id: 'u1', name: 'alice', email: null, display_name: 'Alice', is_admin: 0, is_bot: 0, disabled: 0, password_hash: null,
      must_change_password: 0, is_bootstrap: 0, created_at: now, updated_at: now,
    });
    const roles = createRoleStore(handle.db);
    await roles.insert({ id: 'r1', name: 'DataConsumer', display_name: 'Data Consumer', description: '', permissions: '[]', is_system: 1, created_at: now, updated_at: now });
    await roles.replaceUserRoles('u1', 'manual', ['r1'], now);
  } finally {
    await handle.close();
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function explain(...args: string[]) {
  const run = cliIo(env);
  const code = await runCli(['access', 'explain', ...args, '--config', config], run.io);
  return { code, out: run.out.join('\n'), err: run.err.join('\n') };
}

describe('gatehouse access explain', () => {
  it('reads the user\'s roles from the database and names the rule that decided', async () => {
    const read = await explain('alice', 'GET', 'https://data.example.com/api/v1/tables');
    expect(read).toMatchObject({ code: 0, err: '' });
    expect(read.out).toContain('User:      alice (roles: DataConsumer; administrator: no)');
    expect(read.out).toContain('Decision:  allow');
    expect(read.out).toContain('Rule:      gateway.rules[0] (any host, /api, GET -> roles DataConsumer,DataSteward,Admin)');
    const write = await explain('alice', 'DELETE', 'https://data.example.com/api/v1/tables/1');
    expect(write.out).toContain('Decision:  forbidden');
    expect(write.out).toContain('Rule:      gateway.rules[1] ');
  });

  it('prints the canonical target, so a path trick is judged as the upstream reads it', async () => {
    const trick = await explain('alice', 'GET', 'https://Data.Example.com:443/healthz/..;/ADMIN;jsessionid=1/users');
    expect(trick.out).toContain('Judged as: GET data.example.com /admin/users (this upstream ignores case)');
    expect(trick.out).toContain('Decision:  forbidden');
    expect(trick.out).toContain('Rule:      gateway.rules[2] ');
    const refused = await explain('alice', 'GET', 'https://data.example.com/api/v1;v1%2fusers/x');
    expect(refused.code).toBe(0);
    expect(refused.out).toContain('Decision:  refused (GATEWAY_TARGET_REFUSED)');
  });

  it('takes --roles and --admin without a database, and - for nobody signed in', async () => {
    const admin = await explain('root', 'POST', 'https://data.example.com/admin/x', '--admin');
    expect(admin.out).toContain('Decision:  allow');
    expect(admin.out).toContain('administrator: yes; from --roles');
    const steward = await explain('bob', 'PUT', 'https://data.example.com/api/x', '--roles', 'DataSteward');
    expect(steward.out).toContain('Decision:  allow');
    const nobody = await explain('-', 'GET', 'https://data.example.com/api/x');
    expect(nobody.out).toContain('Decision:  deny-unauthenticated');
    const open = await explain('-', 'GET', 'https://data.example.com/healthz');
    expect(open.out).toContain('Decision:  allow');
    const unmatched = await explain('-', 'GET', 'https://data.example.com/other');
    expect(unmatched.out).toContain('Rule:      none matches; gateway.default (deny) decides');
  });

  it('fails for an unknown user and for bad arguments', async () => {
    const unknown = await explain('nobody', 'GET', 'https://data.example.com/api');
    expect(unknown).toMatchObject({ code: 1, err: 'No user "nobody" in the database; pass --roles to explain without one.' });
    expect((await explain('alice', 'GET', '/api/no-host')).code).toBe(2);
    expect((await explain('alice', 'GET')).code).toBe(2);
  });
});
