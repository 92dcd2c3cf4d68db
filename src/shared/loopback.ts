/**
 * The one loopback rule, used wherever plain http is allowed outside production (provider and configuration URLs),
 * where our own JWKS is recognised on a loopback host, and where the development IdP skips its SSRF guard for
 * back-channel delivery. Loopback is 127.0.0.0/8, ::1 and the name `localhost`, decided from the name alone, never by
 * asking DNS. Everything else is refused, deliberately including `localhost.` and `*.localhost` (resolvers may send
 * those to DNS) and IPv4-mapped IPv6 (::ffff:127.0.0.1), which not every stack routes to loopback.
 */
export const LOOPBACK_DESCRIPTION = '127.0.0.0/8, ::1 and localhost';

// Only characters a host name or IP literal can hold: rejects userinfo (`@`), paths, ports glued on with `/`, and
// anything the URL parser would cut away before the host.
const HOST_CHARACTERS = /^[a-z0-9.\-:[\]]+$/i;

/**
 * True when `host` (a URL's hostname, or a bare host such as SERVER_HOST) is a loopback host. The host is first put in
 * the WHATWG URL parser's canonical form, so `127.1` and `0x7f000001` count as what fetch would connect to: 127.0.0.1.
 */
export function isLoopbackHost(host: string): boolean {
  if (!HOST_CHARACTERS.test(host)) return false;
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  let canonical: string;
  try {
    canonical = new URL(`http://${bare.includes(':') ? `[${bare}]` : bare}/`).hostname;
  } catch {
    return false;
  }
  return canonical === 'localhost' || canonical === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(canonical);
}

/** True when `url` parses and its host is loopback (see isLoopbackHost); credentials in the URL make it false. */
export function isLoopbackUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return !parsed.username && !parsed.password && isLoopbackHost(parsed.hostname);
}

/**
 * The endpoint rule: https, or http on a loopback host outside production; never credentials in the URL. Anything else
 * is refused (tokens and keys would cross in clear).
 */
export function isAcceptableEndpoint(url: string, production: boolean): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username || parsed.password) return false;
  if (parsed.protocol === 'https:') return true;
  return parsed.protocol === 'http:' && !production && isLoopbackHost(parsed.hostname);
}
