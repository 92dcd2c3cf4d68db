/**
 * Who passed the gateway, as the upstream learns it: the forward-auth answer's headers (copied by the proxy) and the
 * built-in proxy's request headers. Names follow oauth2-proxy's `--set-xauthrequest` (catalogs already read them), plus
 * Gatehouse's own for roles, how the caller authenticated and the signed assertion.
 */
export const IDENTITY_HEADERS = {
  user: 'X-Auth-Request-User',
  email: 'X-Auth-Request-Email',
  preferredUsername: 'X-Auth-Request-Preferred-Username',
  groups: 'X-Auth-Request-Groups',
  roles: 'X-Gatehouse-Roles',
  method: 'X-Gatehouse-Auth-Method',
  admin: 'X-Gatehouse-Admin',
  assertion: 'X-Gatehouse-Assertion',
} as const;

/**
 * Every header the gateway sets for the upstream. A client-sent copy of any of them (in any case, with `_` for `-`,
 * sent twice) must never reach the upstream: proxies delete or overwrite them all (see isIdentityHeader).
 */
export const ALL_IDENTITY_HEADERS: readonly string[] = Object.values(IDENTITY_HEADERS);

const CANONICAL = new Set(ALL_IDENTITY_HEADERS.map((name) => name.toLowerCase()));

/**
 * Whether a request header name is (a spelling of) an identity header: case and `_` versus `-` are ignored, since
 * some servers (and CGI-style frameworks) fold `X_Auth_Request_User` into the same variable as `X-Auth-Request-User`.
 */
export function isIdentityHeader(name: string): boolean {
  return CANONICAL.has(name.toLowerCase().replaceAll('_', '-'));
}

/** How the caller authenticated, in the words the upstream sees (the principal's AuthMethod, shortened). */
const METHOD_NAMES: Readonly<Record<string, string>> = {
  session: 'session',
  'user-token': 'user-token',
  'bot-token': 'bot',
  'personal-token': 'personal-token',
  'external-token': 'external-token',
};

/** The part of a principal the upstream is told about (the authz Principal fits). */
export interface GatewayIdentity {
  readonly name: string;
  readonly email: string | null;
  readonly displayName?: string | null | undefined;
  readonly roles: readonly string[];
  readonly isAdmin: boolean;
  /** The principal's AuthMethod: session, user-token, bot-token, personal-token, external-token. */
  readonly method: string;
}

// Printable ASCII that needs no escaping in a header value; "%" is not in it, so decoding is always unambiguous.
const PLAIN = /[A-Za-z0-9 !$&'()*+./:;=?@_~-]/;

/**
 * A header value that cannot break the header block: UTF-8 percent-encoding of everything outside plain printable
 * ASCII (CR, LF, NUL, non-ASCII display names, "%" itself, "," inside list items) and of leading or trailing spaces.
 * `decodeURIComponent(value)` always gives the original text back; a plain ASCII name or e-mail is unchanged.
 */
export function headerValue(text: string): string {
  let out = '';
  for (const char of text) out += PLAIN.test(char) ? char : encodeURIComponent(char).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return out.replace(/^ +| +$/g, (spaces) => '%20'.repeat(spaces.length));
}

function listValue(items: readonly string[]): string {
  // headerValue escapes "," too, so the list splits on "," alone.
  return items.map(headerValue).join(',');
}

/**
 * The identity headers for the upstream. Every header is always present (an empty list is an empty value) so a proxy
 * that copies named headers never invents one (Caddy 2.6 writes its placeholder text for a missing header).
 * `X-Auth-Request-Groups` carries Gatehouse's roles (the provider's groups as Gatehouse mapped them), as
 * oauth2-proxy's users expect groups there.
 */
export function identityHeaders(identity: GatewayIdentity, assertion: string): Record<string, string> {
  const roles = listValue(identity.roles);
  return {
    [IDENTITY_HEADERS.user]: headerValue(identity.name),
    [IDENTITY_HEADERS.email]: headerValue(identity.email ?? ''),
    [IDENTITY_HEADERS.preferredUsername]: headerValue(identity.displayName || identity.name),
    [IDENTITY_HEADERS.groups]: roles,
    [IDENTITY_HEADERS.roles]: roles,
    [IDENTITY_HEADERS.method]: METHOD_NAMES[identity.method] ?? 'other',
    [IDENTITY_HEADERS.admin]: identity.isAdmin ? 'true' : 'false',
    [IDENTITY_HEADERS.assertion]: assertion,
  };
}

/**
 * A public rule let nobody-signed-in pass: every identity header present and empty, so a proxy that copies headers
 * overwrites any client-sent copy with nothing (nginx then sends none; Caddy would otherwise write placeholder text).
 */
export function anonymousHeaders(): Record<string, string> {
  return Object.fromEntries(ALL_IDENTITY_HEADERS.map((name) => [name, '']));
}
