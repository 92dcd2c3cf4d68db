/** Every server call of the UI. Cookies carry the session; unsafe requests send the CSRF header the server requires. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly detail?: string) {
    super(message);
  }
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') headers['x-requested-with'] = 'gatehouse';
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) throw new ApiError(res.status, String(data['code'] ?? 'INTERNAL'), String(data['message'] ?? res.statusText), data['detail'] as string | undefined);
  return data as T;
}

export interface Role { id: string; name: string; source: string }
export interface User {
  id: string; name: string; email: string | null; displayName: string | null; isAdmin: boolean; isBot: boolean; disabled: boolean;
  mustChangePassword: boolean; roles: Role[]; groups: string[]; identities: { issuer: string; lastLoginAt: string | null }[];
  createdAt: string;
}
export interface AuthConfig { providers: { id: string; displayName: string }[]; basicEnabled: boolean; basicAdminsOnly: boolean }
export interface SessionInfo { id: string; createdAt: string; lastSeenAt: string; expiresAt: string; userAgent: string | null; ip: string | null; providerId: string | null; current: boolean }
export interface TokenInfo { id: string; name: string | null; kind: string; scopes: string[] | null; expiresAt: string | null; createdAt: string; lastUsedAt: string | null; revoked: boolean }
export interface Bot { id: string; name: string; displayName: string | null; description: string | null; botUser: { id: string; name: string }; roles: string[]; token: TokenInfo | null }
export interface KeyInfo { kid: string; status: string; source: string; bits: number; development: boolean; createdAt: string; retiringSince: string | null; lastTokenExpiresAt: string | null }
export interface AuditEvent { id: string; at: string; type: string; outcome: string; actorName: string | null; targetType: string | null; targetName: string | null; ip: string | null; details: Record<string, unknown> | null }
export interface Diagnostics {
  environment: string; version: string; config: Record<string, unknown>;
  providers: { id: string; displayName: string; issuer: string; discovery: { ok: boolean; error?: string }; jwksKids: string[]; clockSkewSeconds: number | null }[];
  checklist: { id: string; ok: boolean; message: string }[];
}
export interface Paged<T> { data: T[]; paging: { total: number; offset: number; limit: number } }

export const api = {
  authConfig: () => call<AuthConfig>('GET', '/api/v1/system/config/auth'),
  me: () => call<User>('GET', '/api/v1/users/loggedInUser'),
  basicSignIn: (username: string, password: string) => call<{ user: User }>('POST', '/api/v1/auth/basic', { username, password }),
  changePassword: (oldPassword: string, newPassword: string, confirmPassword: string, endOtherSessions: boolean) =>
    call<unknown>('PUT', '/api/v1/users/changePassword', { oldPassword, newPassword, confirmPassword, requestType: 'SELF', endOtherSessions }),
  logout: () => call<{ redirectTo: string }>('POST', '/api/v1/auth/logout'),
  sessions: () => call<{ data: SessionInfo[] }>('GET', '/api/v1/auth/sessions'),
  endSession: (id: string) => call<void>('DELETE', `/api/v1/auth/sessions/${encodeURIComponent(id)}`),
  endOtherSessions: () => call<{ ended: number }>('POST', '/api/v1/auth/sessions/revoke-others'),
  personalTokens: () => call<{ data: TokenInfo[] }>('GET', '/api/v1/users/security/token'),
  createPersonalToken: (tokenName: string, JWTTokenExpiry: string, scopes: string[] | undefined) =>
    call<{ id: string; JWTToken: string }>('PUT', '/api/v1/users/security/token', { tokenName, JWTTokenExpiry, ...(scopes ? { scopes } : {}) }),
  revokePersonalToken: (id: string) => call<unknown>('PUT', '/api/v1/users/security/token/revoke', { tokenIds: [id] }),
  users: (q: string, offset: number, limit: number) => call<Paged<User>>('GET', `/api/v1/users?limit=${limit}&offset=${offset}${q ? `&q=${encodeURIComponent(q)}` : ''}`),
  updateUser: (id: string, patch: Record<string, unknown>) => call<User>('PATCH', `/api/v1/users/${encodeURIComponent(id)}`, patch),
  deleteUser: (id: string) => call<void>('DELETE', `/api/v1/users/${encodeURIComponent(id)}`),
  endUserSessions: (id: string) => call<{ ended: number }>('DELETE', `/api/v1/users/${encodeURIComponent(id)}/sessions`),
  roles: () => call<{ data: { id: string; name: string }[] }>('GET', '/api/v1/roles'),
  bots: () => call<{ data: Bot[] }>('GET', '/api/v1/bots'),
  createBot: (name: string, description: string) => call<Bot>('POST', '/api/v1/bots', { name, ...(description ? { description } : {}) }),
  deleteBot: (id: string) => call<void>('DELETE', `/api/v1/bots/${encodeURIComponent(id)}`),
  generateBotToken: (botUserId: string, JWTTokenExpiry: string) => call<{ JWTToken: string }>('PUT', `/api/v1/users/generateToken/${encodeURIComponent(botUserId)}`, { JWTTokenExpiry }),
  revokeBotToken: (botUserId: string) => call<unknown>('PUT', '/api/v1/users/revokeToken', { id: botUserId }),
  keys: () => call<{ data: KeyInfo[] }>('GET', '/api/v1/system/keys'),
  rotateKey: () => call<{ kid: string }>('POST', '/api/v1/system/keys/rotate'),
  retireKey: (kid: string) => call<void>('POST', `/api/v1/system/keys/${encodeURIComponent(kid)}/retire`),
  audit: (filters: Record<string, string>, offset: number, limit: number) =>
    call<Paged<AuditEvent>>('GET', `/api/v1/audit?${new URLSearchParams({ ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v)), offset: String(offset), limit: String(limit) })}`),
  diagnostics: () => call<Diagnostics>('GET', '/api/v1/system/diagnostics'),
};

export const EXPIRY_CHOICES: [string, string][] = [['OneHour', '1 hour'], ['1', '1 day'], ['7', '7 days'], ['30', '30 days'], ['60', '60 days'], ['90', '90 days'], ['Unlimited', 'No expiry']];
