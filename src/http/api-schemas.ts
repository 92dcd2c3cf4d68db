import { Type, type Static } from 'typebox';

/**
 * Answers the web UI reads, as TypeBox schemas: the routes validate and document their responses with them, and the
 * UI takes its types from them (`import type` from ui/src/api/types.ts), so the two cannot drift apart. This file
 * imports nothing but TypeBox, so the UI's type check pulls in no server code (and the bundle none at all).
 */

export const UserOut = Type.Object({
  id: Type.String(),
  name: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  displayName: Type.Union([Type.String(), Type.Null()]),
  isAdmin: Type.Boolean(),
  isBot: Type.Boolean(),
  disabled: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
  roles: Type.Array(Type.Object({
    id: Type.String(), name: Type.String(), source: Type.String(),
    /** For a role from a provider (group or roles claim): that provider's name for people. */
    providerName: Type.Optional(Type.String()),
  })),
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
  createdAt: Type.String(),
  updatedAt: Type.String(),
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
  id: Type.String(),
  name: Type.String(),
  displayName: Type.Union([Type.String(), Type.Null()]),
  description: Type.Union([Type.String(), Type.Null()]),
  permissions: Type.Array(Type.String()),
  isSystem: Type.Boolean(),
});

/** A bot or personal token as listed (never its secret). */
export const TokenMetaOut = Type.Object({
  id: Type.String(), name: Type.Union([Type.String(), Type.Null()]), kind: Type.String(),
  scopes: Type.Union([Type.Array(Type.String()), Type.Null()]), expiresAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(), lastUsedAt: Type.Union([Type.String(), Type.Null()]), revoked: Type.Boolean(),
});

export const BotOut = Type.Object({
  id: Type.String(), name: Type.String(), displayName: Type.Union([Type.String(), Type.Null()]),
  description: Type.Union([Type.String(), Type.Null()]), botUser: Type.Object({ id: Type.String(), name: Type.String() }),
  roles: Type.Array(Type.String()), token: Type.Union([TokenMetaOut, Type.Null()]), createdAt: Type.String(), updatedAt: Type.String(),
});

/** A new personal access token: its secret is in this answer only. */
export const PersonalTokenOut = Type.Object({
  id: Type.String(),
  name: Type.String(),
  JWTToken: Type.String(),
  JWTTokenExpiry: Type.String(),
  JWTTokenExpiresAt: Type.Union([Type.Number(), Type.Null()]),
  scopes: Type.Union([Type.Array(Type.String()), Type.Null()]),
});

export type User = Static<typeof UserOut>;
export type RoleGrant = User['roles'][number];
export type AdminReason = NonNullable<User['adminReason']>;
export type SessionInfo = Static<typeof SessionOut>;
export type Role = Static<typeof RoleOut>;
export type PersonalToken = Static<typeof PersonalTokenOut>;
export type TokenInfo = Static<typeof TokenMetaOut>;
export type Bot = Static<typeof BotOut>;
