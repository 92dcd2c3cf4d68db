/** How a client authenticates at /token, as OneLogin's "Token Endpoint" setting: None (PKCE), Basic or POST. */
export type DevIdpAuthMethod = 'none' | 'client_secret_basic' | 'client_secret_post';

/** One relying party (a OneLogin "app"). */
export interface DevIdpClient {
  readonly client_id: string;
  /** Absent exactly when token_endpoint_auth_method is `none`. */
  readonly client_secret?: string;
  readonly token_endpoint_auth_method: DevIdpAuthMethod;
  /** Exact-match redirect URIs (no wildcards, as OneLogin). */
  readonly redirect_uris: readonly string[];
  /** Exact-match targets of RP-initiated logout. */
  readonly post_logout_redirect_uris: readonly string[];
  readonly backchannel_logout_uri?: string;
  /** Whether logout tokens sent to this client carry `sid` (default true when a back-channel URI is set). */
  readonly backchannel_logout_session_required: boolean;
}

/** One demo user. Claims use the OIDC names; `sub` is the stable id an RP keys identities on. */
export interface DevIdpUser {
  readonly sub: string;
  readonly email: string;
  readonly name: string;
  readonly preferred_username: string;
  readonly given_name?: string;
  readonly family_name?: string;
  readonly groups: readonly string[];
  /** Demo password in clear (development only) ... */
  readonly password?: string;
  /** ... or an argon2id hash (`$argon2id$...`), for files that must not hold a readable password. */
  readonly password_hash?: string;
}

/** The whole development IdP configuration (config/dev-idp.example.yaml). */
export interface DevIdpConfig {
  /** Port to listen on; 0 picks a free one (tests). */
  readonly port: number;
  /** OneLogin sends groups as an array or as one semicolon-delimited string, depending on the app's mapping. */
  readonly groupsFormat: 'array' | 'semicolon';
  readonly clients: readonly DevIdpClient[];
  readonly users: readonly DevIdpUser[];
}
