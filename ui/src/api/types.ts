/** Shapes of the server's answers (docs/ui.md lists the calls). Times are ISO-8601 strings. */

// Answers with a server schema take their type from it (type-only: no server code reaches the bundle).
import type { PersonalToken } from '../../../src/http/api-schemas';

export type { AdminReason, Bot, PersonalToken, Role, RoleGrant, SessionInfo, TokenInfo, User } from '../../../src/http/api-schemas';

export interface AuthConfig {
  providers: { id: string; displayName: string }[];
  basicEnabled: boolean;
  /** Password sign-in is the administrators' break-glass door only. */
  basicAdminsOnly?: boolean;
  enableSelfSignup?: boolean;
  /** login.minPasswordLength: the shortest new password the server accepts. */
  passwordMinLength: number;
}

/** A token's secret, returned once when it is made (bot and personal tokens alike). */
export type NewToken = Pick<PersonalToken, 'JWTToken' | 'JWTTokenExpiry' | 'JWTTokenExpiresAt'>;

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
  /** OpenMetadata's paging (offset only on offset pages). */
  paging: { total: number; offset?: number; limit?: number; before?: string; after?: string };
}

/** OpenMetadata's expiry choices for bot and personal tokens. */
export type TokenExpiry = 'OneHour' | '1' | '7' | '30' | '60' | '90' | 'Unlimited';
