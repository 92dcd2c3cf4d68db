import { Type, type Static } from 'typebox';

/**
 * Answers the web UI reads, as TypeBox schemas: the routes validate and document their responses with them, and the
 * UI takes its types from them (`import type` from ui/src/api/types.ts), so the two cannot drift apart. This file
 * imports nothing but TypeBox, so the UI's type check pulls in no server code (and the bundle none at all).
 */

/**
 * OpenMetadata's EntityReference (type/entityReference.json): strict, so no Gatehouse field rides along.
 * Entity answers follow OpenMetadata's schemas (additionalProperties: false there, and its Python SDK's models forbid
 * extras), so Gatehouse's own fields appear only when asked for with `fields=gatehouse` (the web UI does).
 */
export const EntityRefOut = Type.Object({
  id: Type.String(), type: Type.String(), name: Type.String(), fullyQualifiedName: Type.String(),
  displayName: Type.Optional(Type.String()), deleted: Type.Boolean(), href: Type.String(),
});

/** What every OpenMetadata entity of the auth surface carries. */
const EntityBase = {
  id: Type.String(), name: Type.String(), fullyQualifiedName: Type.String(),
  displayName: Type.Optional(Type.String()), description: Type.Optional(Type.String()),
  version: Type.Number(), updatedAt: Type.Integer(), updatedBy: Type.Optional(Type.String()),
  href: Type.String(), deleted: Type.Boolean(),
};

const RoleGrantOut = Type.Object({
  id: Type.String(), name: Type.String(), source: Type.String(),
  /** For a role from a provider (group or roles claim): that provider's name for people. */
  providerName: Type.Optional(Type.String()),
});

/** Gatehouse's own user fields (`fields=gatehouse`); times ISO-8601. */
const UserExtras = {
  disabled: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
  /** Each role with why the user holds it ('manual', 'group:<provider>:<group>', ...). */
  roleGrants: Type.Array(RoleGrantOut),
  groups: Type.Array(Type.String()),
  identities: Type.Array(Type.Object({
    issuer: Type.String(),
    lastLoginAt: Type.Union([Type.String(), Type.Null()]),
    /** The configured provider's name for people ("OneLogin"); absent when no configured provider has this issuer. */
    providerName: Type.Optional(Type.String()),
  })),
  /**
   * Why the user is an administrator: named in AUTHORIZER_ADMIN_PRINCIPALS (made one at every sign-in), the account
   * created at first start, or made one by an administrator. Absent for everyone else.
   */
  adminReason: Type.Optional(Type.Union([Type.Literal('admin-principals'), Type.Literal('bootstrap'), Type.Literal('granted')])),
  /** True when `email` was not stored but derived as OpenMetadata does (`<name>@<principalDomain>`); absent otherwise. */
  emailDerived: Type.Optional(Type.Literal(true)),
  createdAt: Type.String(),
};

export const UserOut = Type.Object({
  ...EntityBase,
  /**
   * OpenMetadata requires it. A user made by a provider that sent no e-mail, or a bot user, stores none; this shape then
   * says `<name>@<principalDomain>` as OpenMetadata does, and `emailDerived` (fields=gatehouse) marks it.
   */
  email: Type.String(),
  isAdmin: Type.Boolean(),
  isBot: Type.Boolean(),
  roles: Type.Array(EntityRefOut),
  ...Object.fromEntries(Object.entries(UserExtras).map(([k, v]) => [k, Type.Optional(v)])) as { [K in keyof typeof UserExtras]: ReturnType<typeof Type.Optional<(typeof UserExtras)[K]>> },
});

export const SessionOut = Type.Object({
  id: Type.String(),
  createdAt: Type.String(),
  lastSeenAt: Type.String(),
  expiresAt: Type.String(),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  providerId: Type.Union([Type.String(), Type.Null()]),
  /** The provider's name for people ("OneLogin"), when the session came from a configured provider. */
  providerName: Type.Optional(Type.String()),
  current: Type.Boolean(),
});

export const RoleOut = Type.Object({
  ...EntityBase,
  /** Seeded roles cannot be deleted (OpenMetadata's allowDelete); all roles can be edited. */
  allowDelete: Type.Boolean(),
  allowEdit: Type.Boolean(),
  provider: Type.Union([Type.Literal('system'), Type.Literal('user')]),
  /** Gatehouse's permissions (`fields=gatehouse`); OpenMetadata's `policies` have no counterpart here. */
  permissions: Type.Optional(Type.Array(Type.String())),
});

/** A bot or personal token as listed (never its secret). */
export const TokenMetaOut = Type.Object({
  id: Type.String(), name: Type.Union([Type.String(), Type.Null()]), kind: Type.String(),
  scopes: Type.Union([Type.Array(Type.String()), Type.Null()]), expiresAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(), lastUsedAt: Type.Union([Type.String(), Type.Null()]), revoked: Type.Boolean(),
});

export const BotOut = Type.Object({
  ...EntityBase,
  botUser: EntityRefOut,
  provider: Type.Union([Type.Literal('system'), Type.Literal('user')]),
  /** Gatehouse's own fields (`fields=gatehouse`): the bot user's role names and its current token (never the secret). */
  roles: Type.Optional(Type.Array(Type.String())),
  token: Type.Optional(Type.Union([TokenMetaOut, Type.Null()])),
  createdAt: Type.Optional(Type.String()),
});

/** A new personal access token: its secret is in this answer only. */
export const PersonalTokenOut = Type.Object({
  id: Type.String(),
  name: Type.String(),
  JWTToken: Type.String(),
  JWTTokenExpiry: Type.String(),
  JWTTokenExpiresAt: Type.Union([Type.Number(), Type.Null()]),
  scopes: Type.Union([Type.Array(Type.String()), Type.Null()]),
  /** OpenMetadata's names for the same (auth/personalAccessToken.json); no expiryDate for an Unlimited token. */
  tokenName: Type.String(),
  jwtToken: Type.String(),
  expiryDate: Type.Optional(Type.Integer()),
});

/** A user as the web UI reads it: it always asks for `fields=gatehouse`. */
export type User = Static<typeof UserOut> & Required<Pick<Static<typeof UserOut>, Exclude<keyof typeof UserExtras, 'adminReason' | 'emailDerived'>>>;
export type RoleGrant = Static<typeof RoleGrantOut>;
export type EntityRef = Static<typeof EntityRefOut>;
export type AdminReason = NonNullable<Static<typeof UserOut>['adminReason']>;
export type SessionInfo = Static<typeof SessionOut>;
export type Role = Static<typeof RoleOut> & { permissions: string[] };
export type PersonalToken = Static<typeof PersonalTokenOut>;
export type TokenInfo = Static<typeof TokenMetaOut>;
export type Bot = Static<typeof BotOut> & Required<Pick<Static<typeof BotOut>, 'roles' | 'token' | 'createdAt'>>;
