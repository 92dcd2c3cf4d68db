import { safeReturnPath } from '../sso/index.js';
import { hostMatches, normaliseHost, normaliseHostPattern } from './host.js';

const MAX_LENGTH = 2048;
// Whitespace and control characters anywhere (browsers drop tabs and newlines, turning "https:/\t/evil" into "https://evil").
const UNSAFE = /[\u0000-\u0020\u007f\u00a0\u1680\u2000-\u200f\u2028\u2029\u202f\u205f\u3000\ufeff]/;
// Scheme, exactly two slashes, then the authority up to the first "/", "?" or "#". Anything else ("https:evil",
// "https:/evil", "https:\\evil") is not read the same by every browser and is refused.
const ABSOLUTE = /^https?:\/\/([^/?#]*)(?:[/?#]|$)/i;

/** The allow-list of return hosts, normalised once: exact hosts and `*.example.com` patterns. */
export interface ReturnHosts {
  readonly patterns: readonly string[];
}

/** Normalises configured return hosts; returns the bad entries too, so start-up can list them. */
export function returnHostsFrom(entries: readonly string[]): { hosts: ReturnHosts; problems: string[] } {
  const patterns: string[] = [];
  const problems: string[] = [];
  for (const entry of entries) {
    const pattern = normaliseHostPattern(entry);
    if (pattern === null) problems.push(`gateway.returnHosts: "${entry}" is not a host name or *.domain pattern (no scheme, port or path)`);
    else patterns.push(pattern);
  }
  return { hosts: { patterns }, problems };
}

/**
 * Where a proxy or browser may be sent after sign-in: a same-origin path (the SSO return-path rule, unchanged), or an
 * http(s) URL without userinfo whose host is on the allow-list (IDN compared in punycode). Returns the normalised target,
 * or null when it is refused: protocol-relative and backslash forms, other schemes, encoded separators in the host,
 * whitespace and control characters, and hosts that only look like allowed ones ("example.com.evil.com").
 */
export function safeReturnTarget(value: unknown, allowed: ReturnHosts): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) return null;
  if (value.startsWith('/')) {
    // The one rule for paths (src/sso/return-path.ts); its fallback marks a refusal.
    const path = safeReturnPath(value, '');
    return path === '' ? null : path;
  }
  if (UNSAFE.test(value)) return null;
  const authority = ABSOLUTE.exec(value)?.[1];
  // Userinfo ("example.com@evil.com"), backslashes and percent-encoding have no place in an allowed host.
  if (authority === undefined || /[@\\%]/.test(authority)) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username !== '' || url.password !== '') return null;
  // What we read as the host must be what the URL parser (and so the browser) reads; a disagreement is a trick.
  const host = normaliseHost(url.host);
  const ours = normaliseHost(authority);
  if (host === null || ours === null || host !== ours) return null;
  if (!allowed.patterns.some((pattern) => hostMatches(pattern, host))) return null;
  return url.href;
}
