export { createSessionService } from './session-service.js';
export type { SessionService, SessionServiceDeps } from './session-service.js';
export type { CreatedSession, NewSessionInput, ProviderTokens, Session, SessionPolicy, SessionProviderLink } from './session-types.js';
export { sessionCookie, transactionCookie } from './cookies.js';
export { gatePendingPasswordChange } from './password-gate.js';
export type { CookieOptions, NamedCookie } from './cookies.js';
export { checkSameOrigin, CSRF_HEADER_NAME, CSRF_HEADER_VALUE } from './csrf.js';
export type { SameOriginInput } from './csrf.js';
