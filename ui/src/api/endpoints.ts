import { apiUrl, call, query, segment } from './client';
import type {
  AuditEvent, AuditFilters, AuthConfig, Bot, Diagnostics, KeyInfo, NewToken, Paged, Role, SessionInfo, TokenExpiry,
  TokenInfo, User,
} from './types';

const PUBLIC = { public: true } as const;

/** Sign-in, the signed-in user, sessions and personal access tokens. */
export const authApi = {
  config: () => call<AuthConfig>('GET', '/api/v1/system/config/auth', undefined, PUBLIC),
  /** A browser navigation (not fetch): the server answers 302 to the provider. Same-origin paths only come back. */
  providerLoginUrl: (providerId: string, returnTo: string) =>
    apiUrl(`/api/v1/auth/login${query({ provider: providerId, redirectUri: returnTo })}`),
  me: () => call<User>('GET', `/api/v1/users/loggedInUser${query({ fields: 'gatehouse' })}`, undefined, PUBLIC),
  signInWithPassword: (username: string, password: string) =>
    call<{ user: User }>('POST', '/api/v1/auth/basic', { username, password }, PUBLIC),
  changePassword: (input: { oldPassword: string; newPassword: string; confirmPassword: string; endOtherSessions: boolean }) =>
    call<unknown>('PUT', '/api/v1/users/changePassword', { ...input, requestType: 'SELF' }),
  logout: () => call<{ redirectTo: string }>('POST', '/api/v1/auth/logout', undefined, PUBLIC),
  sessions: () => call<{ data: SessionInfo[] }>('GET', '/api/v1/auth/sessions'),
  endSession: (id: string) => call<void>('DELETE', `/api/v1/auth/sessions/${segment(id)}`),
  endOtherSessions: () => call<{ ended: number }>('POST', '/api/v1/auth/sessions/revoke-others'),
  personalTokens: () => call<{ data: TokenInfo[] }>('GET', '/api/v1/users/security/token'),
  /** scopes: undefined = everything the user may do; ["read-only"] = read-only. */
  createPersonalToken: (tokenName: string, expiry: TokenExpiry, scopes?: string[]) =>
    call<NewToken & { id: string }>('PUT', '/api/v1/users/security/token', {
      tokenName, JWTTokenExpiry: expiry, ...(scopes ? { scopes } : {}),
    }),
  revokePersonalToken: (id: string) => call<unknown>('PUT', '/api/v1/users/security/token/revoke', { tokenIds: [id] }),
};

/** Administration: users, roles, bots, signing keys, the audit log and diagnostics. */
export const adminApi = {
  users: (q: string, offset: number, limit: number) => call<Paged<User>>('GET', `/api/v1/users${query({ q, offset, limit, isBot: 'false', fields: 'gatehouse' })}`),
  updateUser: (id: string, patch: { disabled?: boolean; isAdmin?: boolean; roles?: string[] }) =>
    call<User>('PATCH', `/api/v1/users/${segment(id)}`, patch),
  deleteUser: (id: string) => call<void>('DELETE', `/api/v1/users/${segment(id)}${query({ hardDelete: 'true' })}`),
  endUserSessions: (id: string) => call<{ ended: number }>('DELETE', `/api/v1/users/${segment(id)}/sessions`),
  roles: () => call<{ data: Role[] }>('GET', `/api/v1/roles${query({ fields: 'gatehouse', limit: 1000 })}`),
  bots: () => call<{ data: Bot[] }>('GET', `/api/v1/bots${query({ fields: 'gatehouse', limit: 1000 })}`),
  createBot: (name: string, description: string, roles: string[]) =>
    call<Bot>('POST', '/api/v1/bots', { name, roles, ...(description ? { description } : {}) }),
  deleteBot: (id: string) => call<void>('DELETE', `/api/v1/bots/${segment(id)}${query({ hardDelete: 'true' })}`),
  generateBotToken: (botUserId: string, expiry: TokenExpiry) =>
    call<NewToken>('PUT', `/api/v1/users/generateToken/${segment(botUserId)}`, { JWTTokenExpiry: expiry }),
  revokeBotToken: (botUserId: string) => call<unknown>('PUT', '/api/v1/users/revokeToken', { id: botUserId }),
  keys: () => call<{ data: KeyInfo[] }>('GET', '/api/v1/system/keys'),
  rotateKey: () => call<{ kid: string }>('POST', '/api/v1/system/keys/rotate'),
  retireKey: (kid: string) => call<void>('POST', `/api/v1/system/keys/${segment(kid)}/retire`),
  audit: (filters: AuditFilters, offset: number, limit: number) =>
    call<Paged<AuditEvent>>('GET', `/api/v1/audit${query({ ...filters, offset, limit })}`),
  diagnostics: () => call<Diagnostics>('GET', '/api/v1/system/diagnostics'),
};
