import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfigOrThrow } from '../src/config/index.js';
import { readStartupFacts, startupProblems, startupRefusal } from '../src/preflight/index.js';
import { createRoleStore, createUserStore } from '../src/storage/index.js';
import { ENGINES, freshDatabase } from './support/databases.js';

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-preflight-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SSO = { GATEHOUSE_DATA_DIR: dir, AUTHENTICATION_PROVIDER: 'custom-oidc', AUTHENTICATION_CLIENT_ID: 'c', AUTHENTICATION_AUTHORITY: 'https://idp.example.com' };

describe.each(ENGINES)('start-up checks read the database (%s)', (engine) => {
  it('a group may map to a role an administrator created; an unknown role is refused', async () => {
    const handle = await freshDatabase(engine);
    try {
      const config = loadConfigOrThrow({ env: { ...SSO, GATEHOUSE_GROUP_ROLE_MAPPING: JSON.stringify({ analysts: ['Analyst'], stewards: 'DataSteward' }) } });
      const before = await startupProblems(await readStartupFacts(config, handle));
      expect(before.map((p) => p.message)).toEqual([expect.stringMatching(/^provider "oidc": group "analysts" maps to the role "Analyst", which does not exist/)]);
      expect(startupRefusal(before).code).toBe('CONFIG_INVALID');
      const now = Date.now();
      await createRoleStore(handle.db).insert({ id: 'r1', name: 'Analyst', display_name: 'Analyst', description: '', permissions: '[]', is_system: 0, created_at: now, updated_at: now });
      expect(await startupProblems(await readStartupFacts(config, handle))).toEqual([]);
    } finally {
      await handle.dispose();
    }
  });

  it('predicts the bootstrap admins serve would create with their initial password, and refuses them in production only', async () => {
    const handle = await freshDatabase(engine);
    try {
      const env = { GATEHOUSE_DATA_DIR: dir, AUTHORIZER_ADMIN_PRINCIPALS: '[admin,root]' };
      const production = { ...env, GATEHOUSE_ENV: 'production', GATEHOUSE_PUBLIC_URL: 'https://g.example.com', GATEHOUSE_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64') };
      const now = Date.now();
      // "root" exists and changed its password; "admin" does not exist yet.
      await createUserStore(handle.db, engine).insert({
        id: 'u1', name: 'root', email: null, display_name: 'root', is_admin: 1, is_bot: 0, disabled: 0, password_hash: 'x',
        must_change_password: 0, is_bootstrap: 1, created_at: now, updated_at: now,
      });
      expect((await readStartupFacts(loadConfigOrThrow({ env }), handle)).initialPasswordAdmins).toEqual(['admin']);
      expect(await startupProblems(await readStartupFacts(loadConfigOrThrow({ env }), handle))).toEqual([]);
      const problems = await startupProblems(await readStartupFacts(loadConfigOrThrow({ env: production }), handle));
      expect(problems.filter((p) => p.check === 'bootstrap-admin').map((p) => p.message)).toEqual([expect.stringContaining('"admin" still has its initial password')]);
      // No key in a new database either: everything refused is production-only.
      expect(startupRefusal(problems).code).toBe('CONFIG_UNSAFE_FOR_PRODUCTION');
    } finally {
      await handle.dispose();
    }
  });
});

describe('start-up checks without a database', () => {
  it('lists every problem of the gateway rules and return hosts, with the roles that exist', async () => {
    const file = join(dir, 'gateway.yaml');
    writeFileSync(file, [
      'gateway:',
      '  returnHosts: [https://data.example.com]',
      '  rules:',
      '    - { pathPrefix: /api, methods: [GET], allow: [DataConsumer] }',
      '    - { pathPrefix: /api/, methods: [get], allow: [DataSteward] }',
      '    - { pathPrefix: /admin, allow: [Administrator] }',
      '    - { pathPrefix: /x/../y, allow: public }',
    ].join('\n'));
    const config = loadConfigOrThrow({ env: { GATEHOUSE_DATA_DIR: dir }, file });
    const problems = await startupProblems(await readStartupFacts(config, null));
    expect(problems.every((p) => p.check === 'gateway-rules' && !p.productionOnly)).toBe(true);
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^gateway\.rules\[2\]: the role "Administrator" does not exist .*existing roles: Admin, DataConsumer, /),
      expect.stringMatching(/^gateway\.rules\[3\]: pathPrefix "\/x\/\.\.\/y" holds/),
      expect.stringMatching(/^gateway\.rules\[1\] .* is unreachable: gateway\.rules\[0\] /),
      'gateway.returnHosts: "https://data.example.com" is not a host name or *.domain pattern (no scheme, port or path)',
    ]);
    expect(startupRefusal(problems).code).toBe('CONFIG_INVALID');
  });

  it('checks against the default roles and lists an unreadable bootstrap password file', async () => {
    const config = loadConfigOrThrow({ env: { ...SSO, GATEHOUSE_BASIC_AUTH_ENABLED: 'true', GATEHOUSE_ADMIN_PASSWORD_FILE: join(dir, 'missing'), GATEHOUSE_GROUP_ROLE_MAPPING: '{"g":["DataConsumer","Nope"]}' } });
    const problems = await startupProblems(await readStartupFacts(config, null));
    expect(problems.map((p) => p.check)).toEqual(['role-mappings', 'bootstrap-password']);
    expect(problems[1]?.message).toBe(`GATEHOUSE_ADMIN_PASSWORD_FILE cannot be read: ${join(dir, 'missing')}`);
  });
});
