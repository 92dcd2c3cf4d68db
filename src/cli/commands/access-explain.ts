import { DEFAULT_ROLES } from '../../authz/index.js';
import type { GatehouseConfig } from '../../config/index.js';
import { isGatehouseError } from '../../errors/index.js';
import { ADMIN_ROLE, canonicalTarget, createAccessPolicy, type Requester } from '../../gateway/index.js';
import { normalizeUserName } from '../../users/index.js';
import { parseCommandArgs } from '../args.js';
import type { CliCommand, CliIo } from '../command.js';
import { openConfiguredCore } from '../open-core.js';
import { configOrReport } from './serve.js';

/** The user as the gateway sees them, and the role names that exist. */
interface UserFacts {
  readonly requester: Requester;
  readonly roleNames: ReadonlySet<string>;
  readonly note: string;
}

/** Reads the user's roles and admin flag from the configured database, through the server's core. */
async function readUser(config: GatehouseConfig, name: string, io: CliIo): Promise<UserFacts | string> {
  const opened = await openConfiguredCore(config, io);
  try {
    const { users, roles } = opened.core.stores;
    const roleNames = new Set([...DEFAULT_ROLES.map((r) => r.name), ...(await roles.list()).map((r) => r.name)]);
    const user = await users.findByName(name);
    if (!user) return `No user "${name}" in the database; pass --roles to explain without one.`;
    const held = (await roles.rolesOfUser(user.id)).map((r) => r.role.name);
    // A disabled user cannot sign in, so the gateway would treat their requests as nobody's.
    if (user.disabled) return { requester: null, roleNames, note: `${name} (disabled: judged as not signed in)` };
    const requester = { roles: held, isAdmin: user.is_admin === 1 };
    return { requester, roleNames, note: `${name} (roles: ${held.join(', ') || 'none'}; administrator: ${requester.isAdmin ? 'yes' : 'no'})` };
  } finally {
    await opened.close();
  }
}

/** Without a database: the given roles, and every role the rules name is taken to exist. */
function givenUser(config: GatehouseConfig, name: string, roles: string[], isAdmin: boolean): UserFacts {
  const named = config.gateway.rules.flatMap((r) => (typeof r.allow === 'string' ? [] : [...r.allow]));
  const roleNames = new Set([...DEFAULT_ROLES.map((r) => r.name), ...roles, ...named.filter((r) => r !== ADMIN_ROLE)]);
  const note = `${name} (roles: ${roles.join(', ') || 'none'}; administrator: ${isAdmin ? 'yes' : 'no'}; from --roles, role names not checked against a database)`;
  return { requester: { roles, isAdmin }, roleNames, note };
}

// The raw path and query are kept exactly as typed: new URL() would normalise away the very tricks being explained.
const ABSOLUTE = /^https?:\/\/([^/?#]*)(.*)$/is;

/**
 * `gatehouse access explain <user|-> <METHOD> <URL>`: the canonical target, the decision and the rule that decided,
 * exactly as the gateway would judge the request.
 */
export const accessExplainCommand: CliCommand = {
  name: 'access explain',
  summary: 'Explain whether a user may make a request through the gateway, and which access rule decides',
  usage: 'gatehouse access explain <user|-> <METHOD> <URL> [--roles a,b] [--admin] [--config gatehouse.yaml]   (- = nobody signed in; --roles/--admin skip the database)',
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { config: { type: 'string', short: 'c' }, roles: { type: 'string' }, admin: { type: 'boolean' } });
    const [user, method, url] = positionals;
    const parts = url === undefined ? null : ABSOLUTE.exec(url);
    if (!user || !method || !parts || positionals.length !== 3) {
      io.err(`Usage: ${this.usage}`);
      return 2;
    }
    const config = configOrReport(io, values.config);
    if (!config) return 1;
    const offline = values.roles !== undefined || values.admin === true;
    let facts: UserFacts | string;
    if (user === '-') facts = { ...givenUser(config, '-', [], false), requester: null, note: 'nobody signed in' };
    else if (offline) facts = givenUser(config, user, (values.roles ?? '').split(',').map((r) => r.trim()).filter(Boolean), values.admin === true);
    else facts = await readUser(config, normalizeUserName(user), io);
    if (typeof facts === 'string') {
      io.err(facts);
      return 1;
    }
    try {
      const policy = createAccessPolicy({ rules: config.gateway.rules, defaultAccess: config.gateway.default, roleNames: facts.roleNames, caseInsensitiveHosts: config.gateway.caseInsensitiveHosts });
      const target = canonicalTarget({ method, host: parts[1] ?? '', target: parts[2] || '/', headers: {}, trustForwardedHost: false, caseInsensitive: policy.caseInsensitive });
      const decision = policy.decide(target, facts.requester);
      io.out(`Request:   ${method} ${url}`);
      io.out(`Judged as: ${target.method} ${target.host} ${target.path}${policy.caseInsensitive(target.host) ? ' (this upstream ignores case)' : ''}`);
      io.out(`User:      ${facts.note}`);
      io.out(`Decision:  ${decision.outcome}`);
      io.out(`Rule:      ${decision.rule ? decision.rule.text : `none matches; gateway.default (${config.gateway.default}) decides`}`);
      return 0;
    } catch (error) {
      if (!isGatehouseError(error) || error.code !== 'GATEWAY_TARGET_REFUSED') throw error;
      // A refused target is an answer, not a failure of the command: the gateway would refuse this request too.
      io.out(`Request:   ${method} ${url}`);
      io.out(`Decision:  refused (${error.code}): ${error.message}`);
      return 0;
    }
  },
};
