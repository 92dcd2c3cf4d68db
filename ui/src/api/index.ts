export { ApiError, onUnauthorized } from './client';
export { adminApi, authApi } from './endpoints';
export type {
  AdminReason, AuditEvent, AuditFilters, AuthConfig, Bot, Diagnostics, KeyInfo, NewToken, Paged, Role, RoleGrant, SessionInfo,
  TokenExpiry, TokenInfo, User,
} from './types';
