import type { Principal } from '../authz/index.js';

/**
 * The built-in proxy's identity headers: a minimal set until the forward-auth work's full set (with the signed
 * assertion) replaces this file. Names follow oauth2-proxy's `X-Auth-Request-*`, which upstreams already understand.
 */
export const IDENTITY_HEADER_NAMES = [
  'x-auth-request-user',
  'x-auth-request-email',
  'x-auth-request-preferred-username',
  'x-auth-request-groups',
  'x-gatehouse-roles',
  'x-gatehouse-auth-method',
  'x-gatehouse-assertion',
] as const;

// Anything in these families is ours to set: a client must not be able to add a look-alike the upstream might trust.
const IDENTITY_FAMILIES = ['x-auth-request-', 'x-gatehouse-'];

/**
 * Whether a client-sent header name is (a variant of) an identity header. Node lower-cases names and joins duplicates,
 * but keeps `_`: servers such as gunicorn and some Java stacks read `X_Auth_Request_User` as `X-Auth-Request-User`.
 */
export function isIdentityHeaderName(name: string): boolean {
  const folded = name.toLowerCase().replaceAll('_', '-');
  return IDENTITY_FAMILIES.some((family) => folded.startsWith(family)) || folded === 'x-forwarded-user' || folded === 'x-forwarded-email' || folded === 'remote-user';
}

// Header values are Latin-1 on the wire; anything else (or a control character) is sent percent-encoded.
function headerValue(text: string): string {
  return /^[\u0020-\u007e]*$/.test(text) ? text : encodeURIComponent(text);
}

/** The identity headers the upstream receives for a signed-in principal (none for an anonymous request). */
export function proxyIdentityHeaders(principal: Principal | null): Record<string, string> {
  if (!principal) return {};
  const roles = principal.isAdmin ? ['Admin', ...principal.roles] : [...principal.roles];
  return {
    'x-auth-request-user': headerValue(principal.name),
    'x-auth-request-preferred-username': headerValue(principal.name),
    ...(principal.email ? { 'x-auth-request-email': headerValue(principal.email) } : {}),
    'x-gatehouse-roles': headerValue(roles.join(',')),
    'x-gatehouse-auth-method': principal.method,
  };
}
