export interface StartSignInInput {
  providerId: string;
  /** Where to go after sign-in; anything but a same-origin path becomes "/". */
  returnTo?: string | null;
  /** Who is starting (the client IP): the per-client limit on sign-ins in progress. */
  clientKey: string;
}

export interface StartedSignIn {
  /** Redirect the browser here (302). */
  readonly authorizationUrl: string;
  /** Put this in the HttpOnly transaction cookie (see transactionCookie); only its hash is stored. */
  readonly transactionId: string;
  readonly cookieMaxAgeSeconds: number;
}

export interface CompleteSignInInput {
  /** The transaction cookie's value; undefined when the browser sent none. */
  transactionId: string | undefined;
  /** The full URL the provider redirected to (only its query is read; the redirect URI is the configured one). */
  callbackUrl: string | URL;
}

/** A verified sign-in at the provider. It has the shape the provisioner takes (providerId, issuer, subject, claims, groups). */
export interface CompletedSignIn {
  readonly providerId: string;
  readonly issuer: string;
  readonly subject: string;
  /** Verified ID token claims merged with userinfo (protocol claims always from the ID token). */
  readonly claims: Readonly<Record<string, unknown>>;
  /** Normalised groups from the provider's groups claim (array or "a;b" string). */
  readonly groups: readonly string[];
  readonly idToken: string;
  readonly refreshToken: string | undefined;
  readonly returnTo: string;
  /** The provider's session id (sid), when it sends one. */
  readonly providerSessionId: string | undefined;
}

export interface SignInLimits {
  /** Lifetime of a sign-in transaction (default 600 s). */
  transactionSeconds?: number;
  /** Sign-ins in progress per client key (default 10). */
  perClient?: number;
  /** Sign-ins in progress overall (default 10000): a distributed flood cannot grow the table without bound. */
  maxLive?: number;
  /** Minimum seconds between two opportunistic sweeps of expired transactions (default 60). */
  sweepIntervalSeconds?: number;
}
