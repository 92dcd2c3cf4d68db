/** Row types of the session and SSO tables (migration 003). Conventions: see core.ts. */

/** A browser session. The session id itself is never stored: only its SHA-256 (token_hash). */
export interface SessionsTable {
  /** Public, non-secret id (UUID) used to list and end sessions; knowing it does not let anyone use the session. */
  id: string;
  /** SHA-256 hex of the opaque session id held in the cookie. */
  token_hash: string;
  user_id: string;
  created_at: number;
  last_seen_at: number;
  /** Sliding: moves forward on use (at most once a minute), never beyond absolute_expires_at. */
  idle_expires_at: number;
  absolute_expires_at: number;
  /** Null for password (basic) sessions. */
  provider_id: string | null;
  provider_issuer: string | null;
  /** The provider's session id (`sid` claim), for back-channel logout. */
  provider_sid: string | null;
  provider_subject: string | null;
  /** AES-256-GCM box (see src/crypto/secret-box.ts) of the ID token, kept for id_token_hint at logout. */
  id_token_enc: string | null;
  /** AES-256-GCM box of the provider's refresh token; replaced at every refresh (OneLogin rotates them). */
  refresh_token_enc: string | null;
  /** Last time the provider confirmed the user (sign-in or refresh). */
  provider_checked_at: number | null;
  user_agent: string | null;
  ip: string | null;
}

/** A sign-in in progress (authorization request sent, callback not yet received). Single use. */
export interface OidcTransactionsTable {
  /** SHA-256 hex of the transaction id held in the HttpOnly transaction cookie. */
  id_hash: string;
  /** SHA-256 hex of the client key (IP address), for the per-client limit. */
  client_key: string;
  provider_id: string;
  issuer: string;
  state: string;
  nonce: string;
  code_verifier: string;
  return_to: string;
  created_at: number;
  expires_at: number;
}

/** jti values of accepted back-channel logout tokens, kept until the token could no longer be accepted (replay guard). */
export interface LogoutTokenJtisTable {
  issuer: string;
  jti: string;
  expires_at: number;
}

export interface SessionTables {
  sessions: SessionsTable;
  oidc_transactions: OidcTransactionsTable;
  logout_token_jtis: LogoutTokenJtisTable;
}
