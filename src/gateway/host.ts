import { domainToASCII } from 'node:url';

// Letters, digits, hyphen, dot (and ":" inside brackets for IPv6): anything else in a host is a trick, not a name.
const NAME = /^[a-z0-9.-]+$/;
const IPV6 = /^\[[0-9a-f:.]+\]$/;

/**
 * A host as rules compare it: lower-case ASCII (IDN in punycode), without port and trailing dot; null when it is not a
 * plain host name (userinfo, slashes, spaces, percent-encoding, empty labels).
 */
export function normaliseHost(value: string): string | null {
  let host = value.trim() === value ? value : '';
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    if (end < 0) return null;
    const rest = host.slice(end + 1);
    if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return null;
    host = host.slice(0, end + 1).toLowerCase();
    return IPV6.test(host) ? host : null;
  }
  const colon = host.lastIndexOf(':');
  if (colon >= 0) {
    if (!/^\d{1,5}$/.test(host.slice(colon + 1))) return null;
    host = host.slice(0, colon);
  }
  if (host.endsWith('.')) host = host.slice(0, -1);
  // domainToASCII maps Unicode (and full-width dots) to the punycode form the DNS uses; "" when it is not a domain.
  const ascii = /[^\x21-\x7e]/.test(host) ? domainToASCII(host) : host.toLowerCase();
  if (ascii === '' || !NAME.test(ascii) || ascii.split('.').some((label) => label === '')) return null;
  return ascii;
}

/** A host pattern from the configuration: an exact host or `*.example.com` (any subdomain, not the apex); null when bad. */
export function normaliseHostPattern(value: string): string | null {
  if (value.startsWith('*.')) {
    const base = normaliseHost(value.slice(2));
    return base && !base.startsWith('[') && !value.includes(':') ? `*.${base}` : null;
  }
  return value.includes(':') && !value.startsWith('[') ? null : normaliseHost(value);
}

/** Whether a normalised host matches a normalised pattern. */
export function hostMatches(pattern: string, host: string): boolean {
  return pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) : host === pattern;
}

/** How specific a pattern is: exact hosts beat wildcards, longer wildcards beat shorter ones; 0 = any host. */
export function hostSpecificity(pattern: string | null): number {
  if (pattern === null) return 0;
  return pattern.startsWith('*.') ? pattern.length : 10_000;
}
