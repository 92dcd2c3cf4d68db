import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { GatehouseError } from '../errors/index.js';
import { FieldReader } from './config-fields.js';
import type { DevIdpAuthMethod, DevIdpClient, DevIdpConfig, DevIdpUser } from './config-types.js';

const METHODS: readonly DevIdpAuthMethod[] = ['none', 'client_secret_basic', 'client_secret_post'];
const TOP_KEYS = ['port', 'groupsFormat', 'clients', 'users'];
const CLIENT_KEYS = [
  'client_id', 'client_secret', 'token_endpoint_auth_method', 'redirect_uris', 'post_logout_redirect_uris',
  'backchannel_logout_uri', 'backchannel_logout_session_required',
];
const USER_KEYS = ['sub', 'email', 'name', 'preferred_username', 'username', 'given_name', 'family_name', 'groups', 'password', 'password_hash'];

function readClient(read: FieldReader, raw: unknown, path: string): DevIdpClient | undefined {
  const doc = read.record(raw, path);
  if (!doc) return undefined;
  read.onlyKnownKeys(doc, path, CLIENT_KEYS);
  const secret = read.text(doc, 'client_secret', path);
  const method = read.oneOf(doc, 'token_endpoint_auth_method', path, METHODS, secret ? 'client_secret_basic' : 'none');
  // OneLogin's "None (PKCE)" apps have no secret; a secret here would suggest a protection that is not there.
  if (method === 'none' && secret !== undefined) read.problems.push(`${path} uses token_endpoint_auth_method none (PKCE) and must not have a client_secret`);
  if (method !== 'none' && secret === undefined) read.problems.push(`${path}.client_secret is required for ${method}`);
  const redirects = read.urls(doc, 'redirect_uris', path);
  if (redirects.length === 0) read.problems.push(`${path}.redirect_uris must list at least one URL`);
  const backchannel = read.url(doc, 'backchannel_logout_uri', path);
  return {
    client_id: read.requiredText(doc, 'client_id', path),
    ...(secret !== undefined && method !== 'none' ? { client_secret: secret } : {}),
    token_endpoint_auth_method: method,
    redirect_uris: redirects,
    post_logout_redirect_uris: read.urls(doc, 'post_logout_redirect_uris', path),
    ...(backchannel ? { backchannel_logout_uri: backchannel } : {}),
    backchannel_logout_session_required: read.boolean(doc, 'backchannel_logout_session_required', path, backchannel !== undefined),
  };
}

function readUser(read: FieldReader, raw: unknown, path: string): DevIdpUser | undefined {
  const doc = read.record(raw, path);
  if (!doc) return undefined;
  read.onlyKnownKeys(doc, path, USER_KEYS);
  // YAML reads `sub: 100001` as a number; an id is text, so whole numbers are taken as written.
  const sub = Number.isSafeInteger(doc['sub']) ? String(doc['sub']) : read.requiredText(doc, 'sub', path);
  // `username` is accepted as an older spelling of preferred_username.
  const preferred = read.text(doc, 'preferred_username', path);
  const alias = read.text(doc, 'username', path);
  if (preferred && alias && preferred !== alias) read.problems.push(`${path} has both preferred_username and username with different values; keep preferred_username`);
  if (doc['preferred_username'] == null && doc['username'] == null) read.problems.push(`${path}.preferred_username is required`);
  const email = read.requiredText(doc, 'email', path);
  if (email && !/^[^\s@]+@[^\s@]+$/.test(email)) read.problems.push(`${path}.email must be an e-mail address; got ${JSON.stringify(email)}`);
  const password = typeof doc['password'] === 'string' ? doc['password'] : undefined;
  if (doc['password'] !== undefined && password === undefined) read.problems.push(`${path}.password must be a text (quote it in YAML)`);
  const hash = read.text(doc, 'password_hash', path);
  if (hash !== undefined && !hash.startsWith('$argon2id$')) read.problems.push(`${path}.password_hash must be an argon2id hash ($argon2id$...)`);
  if ((password === undefined) === (hash === undefined)) read.problems.push(`${path} needs exactly one of password (demo, in clear) or password_hash (argon2id)`);
  if (password !== undefined && password.length === 0) read.problems.push(`${path}.password must not be empty`);
  const given = read.text(doc, 'given_name', path);
  const family = read.text(doc, 'family_name', path);
  return {
    sub, email, name: read.requiredText(doc, 'name', path), preferred_username: preferred ?? alias ?? '',
    ...(given ? { given_name: given } : {}), ...(family ? { family_name: family } : {}),
    groups: read.texts(doc, 'groups', path),
    ...(password !== undefined ? { password } : {}), ...(hash !== undefined ? { password_hash: hash } : {}),
  };
}

function findDuplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  return [...new Set(values.filter((v) => seen.size === seen.add(v).size))];
}

function crossChecks(read: FieldReader, config: DevIdpConfig): void {
  for (const id of findDuplicates(config.clients.map((c) => c.client_id))) read.problems.push(`client_id "${id}" is used twice`);
  for (const sub of findDuplicates(config.users.map((u) => u.sub))) read.problems.push(`user sub "${sub}" is used twice`);
  // Sign-in accepts the user name or the e-mail: each must name one user only.
  const logins = config.users.flatMap((u) => [...new Set([u.preferred_username.toLowerCase(), u.email.toLowerCase()])]);
  for (const login of findDuplicates(logins)) read.problems.push(`"${login}" signs in more than one user (user names and e-mails must be unique)`);
  if (config.groupsFormat === 'semicolon') {
    for (const user of config.users) {
      const bad = user.groups.find((g) => g.includes(';'));
      if (bad) read.problems.push(`group "${bad}" of user ${user.sub} contains ";", which groupsFormat semicolon uses as the separator`);
    }
  }
}

function readSource(source: string | Record<string, unknown>): unknown {
  if (typeof source !== 'string') return source;
  let text: string;
  try {
    text = readFileSync(source, 'utf8');
  } catch (error) {
    throw new GatehouseError('CONFIG_INVALID', `Cannot read the dev IdP file ${source}.`, { cause: error });
  }
  try {
    return parseYaml(text);
  } catch (error) {
    const first = error instanceof Error ? error.message.split('\n')[0] : 'not YAML';
    throw new GatehouseError('CONFIG_INVALID', `The dev IdP file ${source} is not valid YAML: ${first}`, { cause: error });
  }
}

/**
 * Reads and checks the dev IdP configuration from a YAML file path or an already-parsed object. Every problem is
 * reported at once (GatehouseError CONFIG_INVALID, one line per problem); the input object is never modified.
 */
export function loadDevIdpConfig(source: string | Record<string, unknown>): DevIdpConfig {
  const read = new FieldReader();
  const doc = read.record(readSource(source) ?? {}, 'the dev IdP configuration') ?? {};
  read.onlyKnownKeys(doc, 'configuration', TOP_KEYS);
  const port = doc['port'] ?? 9090;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65_535) read.problems.push('port must be a whole number from 0 to 65535');
  const rawClients = Array.isArray(doc['clients']) ? doc['clients'] : [];
  const rawUsers = Array.isArray(doc['users']) ? doc['users'] : [];
  if (rawClients.length === 0) read.problems.push('clients must list at least one client');
  if (rawUsers.length === 0) read.problems.push('users must list at least one user');
  const config: DevIdpConfig = {
    port: typeof port === 'number' ? port : 9090,
    groupsFormat: read.oneOf(doc, 'groupsFormat', 'configuration', ['array', 'semicolon'] as const, 'array'),
    clients: rawClients.map((c: unknown, i) => readClient(read, c, `clients[${i}]`)).filter((c) => c !== undefined),
    users: rawUsers.map((u: unknown, i) => readUser(read, u, `users[${i}]`)).filter((u) => u !== undefined),
  };
  crossChecks(read, config);
  if (read.problems.length > 0) {
    const where = typeof source === 'string' ? ` (${source})` : '';
    throw new GatehouseError('CONFIG_INVALID', `The dev IdP configuration${where} has problems:\n  - ${read.problems.join('\n  - ')}`);
  }
  return config;
}
