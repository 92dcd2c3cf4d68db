import type { Permission } from './permissions.js';

/** How the caller proved who they are. */
export type AuthMethod =
  | 'session'
  | 'user-token'
  | 'bot-token'
  | 'personal-token'
  | 'external-token';

/** Who is calling, resolved once per request by the authentication hook and passed to handlers. */
export interface Principal {
  readonly userId: string;
  readonly name: string;
  readonly email: string | null;
  /** The user's display name, when known (the gateway tells the upstream). */
  readonly displayName?: string | null;
  readonly isAdmin: boolean;
  readonly isBot: boolean;
  readonly roles: readonly string[];
  /** Union of the roles' permissions, already narrowed by a personal token's scopes when one is used. */
  readonly permissions: ReadonlySet<Permission>;
  readonly method: AuthMethod;
  /** jti of the token or id of the session used; for audit and "end this session". */
  readonly credentialId: string | null;
  /** True while a bootstrap/initial password must be changed: only changePassword and loggedInUser are allowed. */
  readonly mustChangePassword: boolean;
}
