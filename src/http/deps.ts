import type { AuditLog } from '../audit/index.js';
import type { PrincipalLoader } from '../authz/index.js';
import type { BotService } from '../bots/index.js';
import type { GatehouseConfig } from '../config/index.js';
import type { GatewayCheck, ReturnHosts } from '../gateway/index.js';
import type { Clock } from '../shared/index.js';
import type { SessionService, SignInStep } from '../sessions/index.js';
import type { SsoService } from '../sso/index.js';
import type { KeyRing } from '../keys/index.js';
import type { PersonalTokens, TokenIntrospection, TokenService } from '../tokens/index.js';
import type { BasicSignIn, RoleService, UserService } from '../users/index.js';

import type { RequestAuthenticator } from './authenticate.js';

/** Everything the HTTP layer needs, built by the composition root (src/compose.ts) and passed to buildApp. */
export interface AppDeps {
  config: GatehouseConfig;
  clock: Clock;
  audit: AuditLog;
  users: UserService;
  roles: RoleService;
  principals: PrincipalLoader;
  basicSignIn: BasicSignIn;
  authenticator: RequestAuthenticator;
  sso: SsoService;
  tokens: TokenService;
  /** Who may create, list and revoke which personal access tokens. */
  personalTokens: PersonalTokens;
  /** RFC 7662 token introspection (same verdict as the bearer path). */
  introspection: TokenIntrospection;
  bots: BotService;
  keys: KeyRing;
  /** Tells every instance to reload the key ring. */
  keysChanged(): void;
  sessions: SessionService;
  /** Signed in -> session, cookie, audit: one step for password and SSO sign-in. */
  signIns: SignInStep;
  /** The gateway's decision (access rules, identity headers, assertion), built once the roles are known (prepare). */
  gateway: GatewayCheck;
  /** Where sign-in may send a browser back to (gateway.returnHosts). */
  gatewayReturnHosts: ReturnHosts;
  readiness(): Promise<{ ready: boolean; database: string; migrations: string }>;
  /** Each production requirement and whether it is met (diagnostics page; production start refuses unmet ones). */
  productionChecklist(): Promise<{ id: string; ok: boolean; message: string }[]>;
}
