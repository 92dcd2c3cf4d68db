/** Row types of the key and token tables (migration 002). Conventions: see core.ts. */
export interface SigningKeysTable {
  kid: string;
  /** active (signs and verifies) | retiring (verifies, published) | retired (neither). */
  status: string;
  /** file (private key read from RSA_PRIVATE_KEY_FILE_PATH at start) | generated | development. */
  source: string;
  /** Public JWK as JSON. */
  public_jwk: string;
  /** PKCS#8 PEM encrypted with the encryption key (generated keys only; null for file keys). */
  private_key_enc: string | null;
  bits: number;
  created_at: number;
  activated_at: number | null;
  retiring_since: number | null;
  retired_at: number | null;
  /** Latest exp of any token it signed (ms); null when none yet; -1 when it signed an unlimited token. */
  last_token_expires_at: number | null;
}

export interface BotsTable {
  id: string;
  name: string;
  display_name: string | null;
  description: string | null;
  bot_user_id: string;
  created_at: number;
  updated_at: number;
  /** Migration 006. Optional on insert (the database default applies); always present when read. */
  version?: number;
  updated_by?: string | null;
  /** Migration 007: 1 once soft-deleted (restorable). Optional on insert; always present when read. */
  deleted?: number;
}

export interface ApiTokensTable {
  /** The JWT's jti. */
  id: string;
  user_id: string;
  /** BOT | PERSONAL_ACCESS */
  kind: string;
  name: string | null;
  /** SHA-256 of the whole JWT: the token itself is shown once and never stored. */
  token_hash: string;
  /** JSON array of permissions the token is limited to, or null for the owner's full rights. */
  scopes: string | null;
  /** Expiry in ms, null for Unlimited. */
  expires_at: number | null;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

/**
 * Password sign-ins (refresh-token families) that were ended: logout, password change, admin action. The user access
 * tokens carry the sign-in's id (`sid`) and are refused once it is here. A row may be deleted after expires_at, when
 * every access token of that sign-in has expired anyway (migration 004).
 */
export interface EndedSignInsTable {
  /** The sign-in's id: the refresh-token family id, the `sid` claim of its access tokens. */
  id: string;
  user_id: string;
  ended_at: number;
  expires_at: number;
}

export interface TokenTables {
  signing_keys: SigningKeysTable;
  bots: BotsTable;
  api_tokens: ApiTokensTable;
  ended_sign_ins: EndedSignInsTable;
}
