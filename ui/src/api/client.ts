/** The one fetch wrapper of the UI: the session cookie authenticates, the CSRF header marks our own requests. */

/** An error answer of the server: {code, message, detail?} with its HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}

export interface CallOptions {
  /**
   * Public calls (sign-in, auth config) answer 401 for wrong credentials; that must not count as "your session ended".
   */
  readonly public?: boolean;
}

type UnauthorizedListener = (error: ApiError) => void;
let unauthorized: UnauthorizedListener | null = null;

/** The app registers who hears of a 401 on a signed-in call (the session ended or was revoked elsewhere). */
export function onUnauthorized(listener: UnauthorizedListener | null): void {
  unauthorized = listener;
}

/**
 * Where the API is: /api, or under the prefix the server names in a meta element when an upstream behind Gatehouse's
 * built-in proxy owns /api (gateway.apiPrefix). Read once; the server writes it into index.html.
 */
const API_PREFIX = document.querySelector<HTMLMetaElement>('meta[name="gatehouse-api-prefix"]')?.content ?? '';

/** An API path ("/api/v1/...") as this server serves it. */
export const apiUrl = (path: string): string => `${API_PREFIX}${path}`;

/**
 * One JSON call. Unsafe methods carry `X-Requested-With: gatehouse`: the server refuses cookie-authenticated changes
 * without it (a cross-site form or fetch cannot set that header without a CORS preflight, which the server never allows).
 */
export async function call<T>(method: string, path: string, body?: unknown, options: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') headers['x-requested-with'] = 'gatehouse';
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(apiUrl(path), {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'Gatehouse cannot be reached. Check your connection and try again.');
  }
  if (response.status === 204) return undefined as T;
  const data: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = toApiError(response, data);
    if (response.status === 401 && !options.public) unauthorized?.(error);
    throw error;
  }
  return data as T;
}

function toApiError(response: Response, data: unknown): ApiError {
  const fields = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return new ApiError(
    response.status,
    text(fields['code']) ?? (response.status >= 500 ? 'INTERNAL' : 'HTTP_' + response.status),
    text(fields['message']) ?? response.statusText,
    text(fields['detail']),
  );
}

/** A path segment from user data, so a name like "../x" cannot change which route is called. */
export const segment = (value: string): string => encodeURIComponent(value);

/** A query string without empty values. */
export function query(values: Record<string, string | number | undefined>): string {
  const entries = Object.entries(values).filter(([, v]) => v !== undefined && v !== '');
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)]))}` : '';
}
