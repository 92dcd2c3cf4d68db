/** Timeouts and limits of browser sessions (plain options; src/config maps the settings). */
export interface SessionPolicy {
  /** Longest life of a session from sign-in (OIDC_SESSION_EXPIRY, default 604800, minimum 3600). */
  absoluteSeconds: number;
  /** A session unused this long ends (GATEHOUSE_SESSION_IDLE_TIMEOUT, default 28800 = 8 hours). */
  idleSeconds: number;
  /** Oldest sessions of a user end beyond this many; 0 = no limit (GATEHOUSE_MAX_SESSIONS_PER_USER). */
  maxPerUser: number;
  /** Minimum seconds between two last-seen writes of the same session (default 60). */
  touchIntervalSeconds?: number;
}

/** Where a session came from when it was made by single sign-on. */
export interface SessionProviderLink {
  providerId: string;
  issuer: string;
  subject: string;
  /** The provider's session id (`sid`), used by back-channel logout. */
  sid: string | null;
  /** Kept (encrypted) for id_token_hint at logout. */
  idToken: string | null;
  /** Kept (encrypted) to re-check the user with the provider. */
  refreshToken: string | null;
}

export interface NewSessionInput {
  userId: string;
  userAgent: string | null;
  ip: string | null;
  provider?: SessionProviderLink;
}

/** A live session as callers see it. Never contains the session secret or provider tokens. */
export interface Session {
  /** Public id: safe to show and to use in "end this session" URLs. */
  readonly id: string;
  readonly userId: string;
  readonly createdAt: number;
  readonly lastSeenAt: number;
  /** When the session ends if it is not used (slides on use). */
  readonly idleExpiresAt: number;
  readonly absoluteExpiresAt: number;
  /** The earlier of the two expiries. */
  readonly expiresAt: number;
  readonly providerId: string | null;
  readonly providerIssuer: string | null;
  readonly providerSid: string | null;
  readonly providerSubject: string | null;
  readonly providerCheckedAt: number | null;
  readonly hasProviderRefreshToken: boolean;
  readonly userAgent: string | null;
  readonly ip: string | null;
}

/** A fresh session and the secret for its cookie (shown once, stored only as a hash). */
export interface CreatedSession {
  readonly secret: string;
  readonly session: Session;
  /** Cookie Max-Age: the remaining absolute lifetime. */
  readonly maxAgeSeconds: number;
}

/** Decrypted provider tokens of one session. */
export interface ProviderTokens {
  readonly idToken: string | null;
  readonly refreshToken: string | null;
}
