import type { Static } from 'typebox';
import type { BotView } from '../../bots/index.js';
import type { RoleView, UserView } from '../../users/index.js';
import type { BotOut, EntityRefOut, RoleOut, UserOut } from '../api-schemas.js';
import type { UserFacts } from '../user-facts.js';

/**
 * Gatehouse's views in OpenMetadata's entity shapes (openmetadata-spec entity/teams/user.json, entity/bot.json,
 * entity/teams/role.json, type/entityReference.json). OpenMetadata's strings are never null: an empty value is left out.
 */
export interface Shaping {
  /** This server's origin: hrefs are absolute, as OpenMetadata's are. */
  baseUrl: string;
  /** `fields=gatehouse`: add Gatehouse's own fields (the web UI asks for them). */
  extras: boolean;
  /** Provider names and the admin rule for those fields (http/user-facts.ts); without it, the stored facts alone. */
  facts?: (user: UserView) => UserFacts;
  /** AUTHORIZER_PRINCIPAL_DOMAIN: the domain of the `email` OpenMetadata gives a user whose provider sent none. */
  principalDomain: string | null;
}

/** How a route shapes its answers: the public URL, the principal domain, Gatehouse's extras when asked for (`fields`). */
export function shapingFor(
  config: { server: { publicUrl: string }; authorizer: { principalDomain: string | null } },
  extras: boolean,
  facts?: Shaping['facts'],
): Shaping {
  return { baseUrl: config.server.publicUrl, extras, principalDomain: config.authorizer.principalDomain, ...(facts ? { facts } : {}) };
}

/** OpenMetadata's own default principal domain (its openmetadata.yaml), used when none is configured. */
const OM_DEFAULT_PRINCIPAL_DOMAIN = 'open-metadata.org';

/**
 * OpenMetadata's User requires `email`, and its Python SDK and UI fail without one. OpenMetadata itself answers a JWT
 * or SSO user without an e-mail claim, and its bot users, with `<name>@<principalDomain>` (SecurityUtil's
 * findEmailFromClaims, UserUtil.user), so the OpenMetadata shape says the same. Only the shape: Gatehouse stores no
 * invented address, and `fields=gatehouse` marks it with `emailDerived`.
 */
export function omEmail(v: Pick<UserView, 'name' | 'email'>, principalDomain: string | null): { email: string; derived: boolean } {
  if (v.email) return { email: v.email, derived: false };
  return { email: `${v.name}@${principalDomain ?? OM_DEFAULT_PRINCIPAL_DOMAIN}`.toLowerCase(), derived: true };
}

type Collection = 'users' | 'roles' | 'bots';
const TYPE: Record<Collection, string> = { users: 'user', roles: 'role', bots: 'bot' };

/** `{key: value}` when value is a non-empty string, else `{}`. */
function optional<K extends string>(key: K, value: string | null | undefined): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}

export function hrefOf(baseUrl: string, collection: Collection, id: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/api/v1/${collection}/${encodeURIComponent(id)}`;
}

export function entityRef(baseUrl: string, collection: Collection, e: { id: string; name: string; displayName?: string | null; deleted?: boolean }): Static<typeof EntityRefOut> {
  return {
    id: e.id, type: TYPE[collection], name: e.name, fullyQualifiedName: e.name,
    ...optional('displayName', e.displayName), deleted: e.deleted ?? false, href: hrefOf(baseUrl, collection, e.id),
  };
}

function base(baseUrl: string, collection: Collection, v: { id: string; name: string; displayName: string | null; description?: string | null; version: number; updatedAt: number; updatedBy: string | null }, deleted: boolean) {
  return {
    id: v.id, name: v.name, fullyQualifiedName: v.name, ...optional('displayName', v.displayName), ...optional('description', v.description),
    version: v.version, updatedAt: v.updatedAt, ...optional('updatedBy', v.updatedBy), href: hrefOf(baseUrl, collection, v.id), deleted,
  };
}

export function omUser(v: UserView, s: Shaping): Static<typeof UserOut> {
  // A user holds a role once however many sources grant it; OpenMetadata lists each role once.
  const roles = [...new Map(v.roles.map((r) => [r.id, r])).values()].map((r) => entityRef(s.baseUrl, 'roles', r));
  const email = omEmail(v, s.principalDomain);
  const user: Static<typeof UserOut> = { ...base(s.baseUrl, 'users', v, v.deleted), email: email.email, isAdmin: v.isAdmin, isBot: v.isBot, roles };
  if (!s.extras) return user;
  return {
    ...user, ...(email.derived ? { emailDerived: true } : {}), disabled: v.disabled, mustChangePassword: v.mustChangePassword, roleGrants: v.roles.map(({ id, name, source }) => ({ id, name, source })), groups: v.groups,
    identities: v.identities, createdAt: new Date(v.createdAt).toISOString(), ...s.facts?.(v),
  };
}

export function omRole(v: RoleView, s: Shaping): Static<typeof RoleOut> {
  const role: Static<typeof RoleOut> = { ...base(s.baseUrl, 'roles', v, v.deleted), allowDelete: !v.isSystem, allowEdit: true, provider: v.isSystem ? 'system' : 'user' };
  return s.extras ? { ...role, permissions: v.permissions } : role;
}

export function omBot(v: BotView, s: Shaping): Static<typeof BotOut> {
  const bot: Static<typeof BotOut> = {
    ...base(s.baseUrl, 'bots', v, v.deleted), botUser: entityRef(s.baseUrl, 'users', { ...v.botUser, deleted: v.deleted }),
    provider: v.name === 'ingestion-bot' ? 'system' : 'user',
  };
  return s.extras ? { ...bot, roles: v.roles, token: v.token, createdAt: new Date(v.createdAt).toISOString() } : bot;
}
