/**
 * Row types of the core tables (migration 001). Conventions for every table:
 * ids are text (UUID or random), times are integer milliseconds since the epoch (bigint in PostgreSQL,
 * parsed to number), booleans are integers 0/1, JSON is text. This keeps one Kysely implementation
 * valid on SQLite and PostgreSQL.
 */
export interface UsersTable {
  id: string;
  name: string;
  email: string | null;
  display_name: string | null;
  is_admin: number;
  is_bot: number;
  disabled: number;
  password_hash: string | null;
  must_change_password: number;
  /** 1 for accounts made by the bootstrap step; production refuses them while the initial password is unchanged. */
  is_bootstrap: number;
  created_at: number;
  updated_at: number;
  /** Migration 006. Optional on insert (the database default applies); always present when read. */
  version?: number;
  updated_by?: string | null;
  /** 1 once soft-deleted (also disabled); a restore clears both. */
  deleted?: number;
}

export interface IdentitiesTable {
  issuer: string;
  subject: string;
  user_id: string;
  email: string | null;
  created_at: number;
  last_login_at: number | null;
}

export interface RolesTable {
  id: string;
  name: string;
  display_name: string | null;
  description: string | null;
  /** JSON array of permission strings, e.g. ["entity:view","entity:editDescription"]. */
  permissions: string;
  is_system: number;
  created_at: number;
  updated_at: number;
  /** Migration 006. Optional on insert (the database default applies); always present when read. */
  version?: number;
  updated_by?: string | null;
  /** Migration 007: 1 once soft-deleted (restorable). Optional on insert; always present when read. */
  deleted?: number;
}

export interface UserRolesTable {
  user_id: string;
  role_id: string;
  /** Why the user has the role: 'manual', 'group:<provider>:<group>', 'provider-roles:<provider>'. */
  source: string;
  created_at: number;
}

export interface LoginAttemptsTable {
  /** Lower-cased login name as typed (also for unknown users, so they lock the same way). */
  login_key: string;
  failures: number;
  locked_until: number | null;
  updated_at: number;
}

export interface RefreshTokensTable {
  /** SHA-256 of the refresh token secret (hex). */
  token_hash: string;
  family_id: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  revoked_at: number | null;
}

export interface AuditEventsTable {
  id: string;
  at: number;
  type: string;
  outcome: string;
  actor_id: string | null;
  actor_name: string | null;
  target_type: string | null;
  target_id: string | null;
  target_name: string | null;
  ip: string | null;
  user_agent: string | null;
  /** JSON object with event-specific details; never secrets. */
  details: string | null;
}

export interface CoreTables {
  users: UsersTable;
  identities: IdentitiesTable;
  roles: RolesTable;
  user_roles: UserRolesTable;
  login_attempts: LoginAttemptsTable;
  refresh_tokens: RefreshTokensTable;
  audit_events: AuditEventsTable;
}
