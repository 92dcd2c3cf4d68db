import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { GatehouseError } from '../errors/index.js';

export interface DevIdpClient {
  client_id: string;
  client_secret?: string;
  token_endpoint_auth_method: 'none' | 'client_secret_basic' | 'client_secret_post';
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  backchannel_logout_uri?: string;
}

export interface DevIdpUser {
  sub: string;
  username: string;
  email: string;
  name: string;
  given_name?: string;
  family_name?: string;
  groups: string[];
  /** Demo password in clear (development only) ... */
  password?: string;
  /** ... or an argon2id hash. */
  password_hash?: string;
}

export interface DevIdpConfig {
  port: number;
  /** OneLogin sends groups as an array or as one semicolon-delimited string, depending on the app's mapping. */
  groupsFormat: 'array' | 'semicolon';
  clients: DevIdpClient[];
  users: DevIdpUser[];
}

const METHODS = ['none', 'client_secret_basic', 'client_secret_post'];

function strings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string' && v.length > 0);
}

/** Reads and checks the dev IdP's YAML (a path) or an object; every problem is reported at once. */
export function loadDevIdpConfig(source: string | Record<string, unknown>): DevIdpConfig {
  let raw: unknown = source;
  if (typeof source === 'string') {
    try {
      raw = parseYaml(readFileSync(source, 'utf8'));
    } catch (error) {
      throw new GatehouseError('CONFIG_INVALID', `Cannot read the dev IdP file ${source}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  const problems: string[] = [];
  const doc = (raw ?? {}) as Record<string, unknown>;
  const port = doc['port'] ?? 9090;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) problems.push('port must be a whole number from 0 to 65535');
  const groupsFormat = doc['groupsFormat'] ?? 'array';
  if (groupsFormat !== 'array' && groupsFormat !== 'semicolon') problems.push('groupsFormat must be array or semicolon');
  const clients = Array.isArray(doc['clients']) ? (doc['clients'] as Record<string, unknown>[]) : [];
  if (clients.length === 0) problems.push('clients must list at least one client');
  clients.forEach((c, i) => {
    if (typeof c['client_id'] !== 'string' || !c['client_id']) problems.push(`clients[${i}].client_id is required`);
    const method = c['token_endpoint_auth_method'] ?? (c['client_secret'] ? 'client_secret_basic' : 'none');
    c['token_endpoint_auth_method'] = method;
    if (!METHODS.includes(String(method))) problems.push(`clients[${i}].token_endpoint_auth_method must be one of ${METHODS.join(', ')}`);
    if (method !== 'none' && typeof c['client_secret'] !== 'string') problems.push(`clients[${i}].client_secret is required for ${String(method)}`);
    if (method === 'none' && c['client_secret'] !== undefined) problems.push(`clients[${i}] is a public (PKCE) client and must not have a client_secret`);
    if (!strings(c['redirect_uris'])) problems.push(`clients[${i}].redirect_uris must be a list of URLs`);
    c['post_logout_redirect_uris'] ??= [];
    if (!strings(c['post_logout_redirect_uris']) && (c['post_logout_redirect_uris'] as unknown[]).length > 0) problems.push(`clients[${i}].post_logout_redirect_uris must be a list of URLs`);
  });
  const users = Array.isArray(doc['users']) ? (doc['users'] as Record<string, unknown>[]) : [];
  if (users.length === 0) problems.push('users must list at least one user');
  const subs = new Set<string>();
  users.forEach((u, i) => {
    for (const field of ['sub', 'username', 'email', 'name']) {
      if (typeof u[field] !== 'string' || !u[field]) problems.push(`users[${i}].${field} is required`);
    }
    if (typeof u['sub'] === 'string') {
      if (subs.has(u['sub'])) problems.push(`users[${i}].sub "${u['sub']}" is used twice`);
      subs.add(u['sub']);
    }
    u['groups'] ??= [];
    if (!strings(u['groups']) && (u['groups'] as unknown[]).length > 0) problems.push(`users[${i}].groups must be a list of names`);
    if (typeof u['password'] !== 'string' && typeof u['password_hash'] !== 'string') problems.push(`users[${i}] needs password or password_hash`);
  });
  if (problems.length) throw new GatehouseError('CONFIG_INVALID', `The dev IdP configuration has problems:\n  - ${problems.join('\n  - ')}`);
  return { port: port as number, groupsFormat: groupsFormat as DevIdpConfig['groupsFormat'], clients: clients as unknown as DevIdpClient[], users: users as unknown as DevIdpUser[] };
}
