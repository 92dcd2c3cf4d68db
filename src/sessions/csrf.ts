/** The custom header every cookie-authenticated unsafe request must send. */
export const CSRF_HEADER_NAME = 'x-requested-with';
export const CSRF_HEADER_VALUE = 'gatehouse';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface SameOriginInput {
  method: string;
  /** The Origin request header, if any. */
  origin: string | undefined;
  /** The Sec-Fetch-Site request header, if any. */
  secFetchSite: string | undefined;
  /** The X-Requested-With request header, if any. */
  customHeader: string | undefined;
  /** Gatehouse's public origin, e.g. https://gatehouse.example.com. */
  publicOrigin: string;
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/**
 * CSRF rule for requests authenticated by the session cookie. Safe methods pass. Unsafe methods need BOTH:
 * - proof of origin: the Origin header equals the public origin, or (no Origin) Sec-Fetch-Site is `same-origin`.
 *   When Origin is present it decides: a browser never sends a misleading one, and "null" (sandboxed frames,
 *   some redirects) is refused.
 * - the custom header `X-Requested-With: gatehouse`: a cross-site form or <img> cannot set it, and setting it from
 *   script on another origin triggers a CORS preflight that Gatehouse does not grant.
 * Two independent checks, so one browser quirk (an old browser without Origin on same-site POSTs) does not open a hole.
 */
export function checkSameOrigin(input: SameOriginInput): boolean {
  if (SAFE_METHODS.has(input.method.toUpperCase())) return true;
  if (input.customHeader?.trim().toLowerCase() !== CSRF_HEADER_VALUE) return false;
  const expected = originOf(input.publicOrigin);
  if (!expected) return false;
  const origin = input.origin?.trim();
  if (origin !== undefined && origin !== '') {
    // Compare the serialised origin exactly; no prefix or suffix matching (https://gatehouse.example.com.evil.net).
    return origin !== 'null' && originOf(origin) === expected && origin.replace(/\/$/, '').toLowerCase() === expected.toLowerCase();
  }
  return input.secFetchSite?.trim().toLowerCase() === 'same-origin';
}

export interface LoginOriginInput {
  /** The Content-Type request header, if any. */
  contentType: string | undefined;
  origin: string | undefined;
  secFetchSite: string | undefined;
  publicOrigin: string;
}

/**
 * Login CSRF for OpenMetadata's `POST /api/v1/auth/login`, whose UI sends no custom header: a foreign page must not
 * sign a victim's browser into the attacker's account. A cross-site HTML form can only send form or text/plain bodies,
 * so the body must be JSON (from another origin that needs a CORS preflight Gatehouse does not grant); and a browser's
 * own word on where the request came from, when it gives one, must say this origin.
 */
export function checkLoginOrigin(input: LoginOriginInput): boolean {
  const type = input.contentType?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') return false;
  const site = input.secFetchSite?.trim().toLowerCase();
  if (site !== undefined && site !== '' && site !== 'same-origin' && site !== 'none') return false;
  const origin = input.origin?.trim();
  if (origin === undefined || origin === '') return true;
  const expected = originOf(input.publicOrigin);
  return origin !== 'null' && expected !== undefined && origin.replace(/\/$/, '').toLowerCase() === expected.toLowerCase();
}
