import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DEV_IDP_CONFIG } from '../../src/cli/commands/dev-idp.js';
import { loadDevIdpConfig } from '../../src/devidp/index.js';

const CLIENT = { client_id: 'app', token_endpoint_auth_method: 'none', redirect_uris: ['http://127.0.0.1:8585/callback'] };
const USER = { sub: 'u1', preferred_username: 'ann', email: 'ann@example.com', name: 'Ann', password: 'ann-password' };

function problemsOf(source: Record<string, unknown> | string): string {
  try {
    loadDevIdpConfig(source);
  } catch (error) {
    expect(error).toMatchObject({ name: 'GatehouseError', code: 'CONFIG_INVALID' });
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

function tempFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'devidp-')), 'idp.yaml');
  writeFileSync(file, text);
  return file;
}

describe('loadDevIdpConfig', () => {
  it('reads the example file: port 9090, a public PKCE client, a Basic client, alice and bob', () => {
    const config = loadDevIdpConfig(DEFAULT_DEV_IDP_CONFIG);
    expect(config.port).toBe(9090);
    expect(config.groupsFormat).toBe('array');
    expect(config.clients).toEqual([
      {
        client_id: 'gatehouse', token_endpoint_auth_method: 'none',
        redirect_uris: ['http://127.0.0.1:8585/callback'], post_logout_redirect_uris: ['http://127.0.0.1:8585/signin'],
        backchannel_logout_uri: 'http://127.0.0.1:8585/api/v1/auth/backchannel-logout', backchannel_logout_session_required: true,
      },
      expect.objectContaining({ client_id: 'gatehouse-confidential', token_endpoint_auth_method: 'client_secret_basic', client_secret: expect.stringMatching(/demo/) }),
    ]);
    expect(config.users.map((u) => [u.preferred_username, u.groups])).toEqual([['alice', ['data-stewards', 'admins']], ['bob', ['data-consumers']]]);
  });

  it('fills defaults, takes `username` as preferred_username and a numeric sub as text, and never modifies its input', () => {
    const input = { clients: [{ ...CLIENT, redirect_uris: [...CLIENT.redirect_uris] }], users: [{ sub: 100001, username: 'ann', email: 'ann@example.com', name: 'Ann', password: 'p' }] };
    const before = JSON.stringify(input);
    const config = loadDevIdpConfig(input);
    expect(JSON.stringify(input)).toBe(before);
    expect(config).toMatchObject({ port: 9090, groupsFormat: 'array' });
    expect(config.clients[0]).toEqual({ ...CLIENT, post_logout_redirect_uris: [], backchannel_logout_session_required: false });
    expect(config.users[0]).toMatchObject({ sub: '100001', preferred_username: 'ann', groups: [] });
  });

  it('lists every problem at once, naming the field', () => {
    const message = problemsOf({
      port: 70000,
      groupsFormat: 'csv',
      clients: [
        { client_id: 'pub', token_endpoint_auth_method: 'none', client_secret: 'x', redirect_uris: ['http://127.0.0.1/cb#frag'] },
        { client_id: 'conf', token_endpoint_auth_method: 'client_secret_basic', redirect_uris: ['not a url'], redirect_uri: 'typo' },
        { client_id: 'odd', token_endpoint_auth_method: 'private_key_jwt', redirect_uris: ['javascript:alert(1)'], backchannel_logout_uri: 'ftp://x' },
        { client_id: 'pub', redirect_uris: [] },
      ],
      users: [
        { sub: 'u1', preferred_username: 'ann', email: 'not-an-email', name: 'Ann' },
        { sub: 'u1', preferred_username: 'ANN', email: 'b@example.com', name: 'B', password: 'p', password_hash: '$argon2id$v=19$x' },
        { sub: 'u3', preferred_username: 'c', email: 'c@example.com', name: 'C', password_hash: '$2b$10$bcrypt', groups: 'admins' },
      ],
    });
    for (const expected of [
      'port must be a whole number from 0 to 65535',
      'configuration.groupsFormat must be one of array, semicolon; got "csv"',
      'clients[0] uses token_endpoint_auth_method none (PKCE) and must not have a client_secret',
      'clients[0].redirect_uris[0] must not have a #fragment',
      'clients[1].client_secret is required for client_secret_basic',
      'clients[1].redirect_uris[0] must be an absolute http(s) URL; got "not a url"',
      'clients[1].redirect_uri is not a known setting',
      'clients[2].token_endpoint_auth_method must be one of none, client_secret_basic, client_secret_post; got "private_key_jwt"',
      'clients[2].redirect_uris[0] must be an absolute http(s) URL; got "javascript:alert(1)"',
      'clients[2].backchannel_logout_uri must be an absolute http(s) URL',
      'clients[3].redirect_uris must list at least one URL',
      'client_id "pub" is used twice',
      'users[0].email must be an e-mail address',
      'users[0] needs exactly one of password (demo, in clear) or password_hash (argon2id)',
      'users[1] needs exactly one of password',
      'user sub "u1" is used twice',
      '"ann" signs in more than one user',
      'users[2].password_hash must be an argon2id hash',
      'users[2].groups must be a list of non-empty texts',
    ]) {
      expect(message).toContain(expected);
    }
  });

  it('refuses an empty document, a group containing ";" with groupsFormat semicolon, and a user without a name', () => {
    expect(problemsOf({})).toMatch(/clients must list at least one client[\s\S]*users must list at least one user/);
    expect(problemsOf({ groupsFormat: 'semicolon', clients: [CLIENT], users: [{ ...USER, groups: ['a;b'] }] })).toContain('group "a;b" of user u1 contains ";"');
    const nameless = problemsOf({ clients: [CLIENT], users: [{ ...USER, name: undefined, preferred_username: '  ' }] });
    expect(nameless).toContain('users[0].name is required');
    expect(nameless).toContain('users[0].preferred_username must be a non-empty text');
    expect(nameless).not.toContain('preferred_username is required');
  });

  it('reports a missing file, a file that is not YAML and a YAML list with the file name', () => {
    expect(problemsOf('/nonexistent/dev-idp.yaml')).toContain('Cannot read the dev IdP file /nonexistent/dev-idp.yaml');
    const broken = tempFile('clients: [\n  - {client_id: a\n');
    expect(problemsOf(broken)).toContain(`The dev IdP file ${broken} is not valid YAML`);
    const list = tempFile('- a\n- b\n');
    expect(problemsOf(list)).toContain('the dev IdP configuration must be a mapping');
  });
});
