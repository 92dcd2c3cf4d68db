/** Shapes of the server's answers (docs/ui.md lists the calls). Times are ISO-8601 strings. */

export interface RoleGrant {
  id: string;
  name: string;
  /** "manual" | "group:<provider>:<group>" | "provider-roles:<provider>" */
  source: string;
}

export interface User {
  id: string;
  name: string;
  email: string | null;
  displayName: string | null;
  isAdmin: boolean;
  isBot: boolean;
  disabled: boolean;
  mustChangePassword: boolean;
  roles: RoleGrant[];
  groups: string[];
  identities: { issuer: string; lastLoginAt: string | null }[];
  createdAt: string;
}

export interface AuthConfig {
  providers: { id: string; displayName: string }[];
  basicEnabled: boolean;
  /** Password sign-in is the administrators' break-glass door only. */
  basicAdminsOnly?: boolean;
  enableSelfSignup?: boolean;
}

export interface SessionInfo {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  userAgent: string | null;
  ip: string | null;
  providerId: string | null;
  current: boolean;
}

export interface TokenInfo {
  id: string;
  name: string | null;
  scopes: string[] | null;
  expiresAt: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revoked: boolean;
}

/** A token's secret, returned once when it is made. */
export interface NewToken {
  JWTToken: string;
  JWTTokenExpiry: string;
  JWTTokenExpiresAt: number | null;
}

export interface Bot {
  id: string;
  name: string;
  displayName: string | null;
  description: string | null;
  botUser: { id: string; name: string };
  roles: string[];
  token: TokenInfo | null;
}

export interface Role {
  id: string;
  name: string;
  displayName?: string | null;
  description?: string | null;
}

export interface KeyInfo {
  kid: string;
  status: 'active' | 'retiring' | 'retired' | string;
  source?: string;
  bits: number;
  development: boolean;
  createdAt: string;
  retiringSince: string | null;
  /** ISO time, "never" (an unlimited token was signed), or null. */
  lastTokenExpiresAt?: string | null;
}

export interface AuditEvent {
  id: string;
  at: string;
  type: string;
  outcome: string;
  actorName: string | null;
  targetType: string | null;
  targetName: string | null;
  ip: string | null;
  details: Record<string, unknown> | null;
}

export interface AuditFilters {
  type?: string;
  outcome?: string;
  actor?: string;
  /** ISO date-times. */
  from?: string;
  to?: string;
}

export interface Diagnostics {
  environment: string;
  version?: string;
  config: Record<string, unknown>;
  providers: {
    id: string;
    displayName: string;
    issuer: string;
    discovery: { ok: boolean; error?: string };
    jwksKids: string[];
    clockSkewSeconds: number | null;
  }[];
  checklist: { id: string; ok: boolean; message: string }[];
}

export interface Paged<T> {
  data: T[];
  paging: { total: number; offset: number; limit: number };
}

/** OpenMetadata's expiry choices for bot and personal tokens. */
export type TokenExpiry = 'OneHour' | '1' | '7' | '30' | '60' | '90' | 'Unlimited';
