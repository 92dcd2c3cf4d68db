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
