export { createSsoService } from './sso-service.js';
export type { ClientInfo, FinishedSignIn, SsoService, SsoServiceDeps } from './sso-service.js';
export { createProviderRegistry } from './provider-registry.js';
export type { ProviderRegistry, ProviderRegistryOptions, ResolvedProvider } from './provider-registry.js';
export {
  defineProvider, isAcceptableEndpoint, oneloginIssuer, oneloginProvider, providerProblems,
} from './provider-settings.js';
export type { ClientAuthMethod, ClientType, ProviderInput, ProviderSettings } from './provider-settings.js';
export { createSignInFlow } from './sign-in.js';
export type { SignInFlow, SignInFlowDeps } from './sign-in.js';
export type { CompletedSignIn, CompleteSignInInput, SignInLimits, StartedSignIn, StartSignInInput } from './sign-in-types.js';
export { refreshWithProvider } from './refresh.js';
export type { RefreshedIdentity, RefreshOutcome } from './refresh.js';
export { buildEndSessionUrl, pickLogoutProvider, verifyLogoutToken } from './logout.js';
export type { LogoutDeps } from './logout.js';
export { BACKCHANNEL_LOGOUT_EVENT, checkLogoutToken } from './logout-token.js';
export type { LogoutRequest, LogoutTokenExpectations } from './logout-token.js';
export { verifyIdToken } from './id-token.js';
export type { IdTokenExpectations } from './id-token.js';
export { failedCheck, TOKEN_CHECKS } from './jwt-checks.js';
export type { KeyResolver, TokenCheck } from './jwt-checks.js';
export { createJwksCache } from './jwks-cache.js';
export type { FetchLike, JwksCache, JwksCacheOptions } from './jwks-cache.js';
export { safeReturnPath } from './return-path.js';
export { normaliseGroups } from './groups.js';
