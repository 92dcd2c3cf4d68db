import type { RoleGrant, TokenExpiry } from '../api';

/** A time for people, in their own locale; "—" when there is none. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Where a role came from, in words, naming the provider as people know it ("OneLogin"). */
export function roleSource(role: Pick<RoleGrant, 'source' | 'providerName'>): string {
  const { source } = role;
  if (source === 'manual') return 'assigned by an administrator';
  const group = /^group:([^:]+):(.+)$/.exec(source);
  if (group) return `from group “${group[2]}” (${role.providerName ?? group[1]})`;
  if (source.startsWith('provider-roles:')) return `from the roles claim of ${role.providerName ?? source.slice('provider-roles:'.length)}`;
  return source;
}

/** A short description of a browser from its User-Agent, e.g. "Chrome on Linux". */
export function browserName(userAgent: string | null): string {
  if (!userAgent) return 'Unknown browser';
  const browser = /Edg\//.test(userAgent) ? 'Edge' : /Firefox\//.test(userAgent) ? 'Firefox'
    : /Chrom(e|ium)\//.test(userAgent) ? 'Chrome' : /Safari\//.test(userAgent) ? 'Safari' : 'Browser';
  const os = /Windows/.test(userAgent) ? 'Windows' : /Android/.test(userAgent) ? 'Android'
    : /iPhone|iPad/.test(userAgent) ? 'iOS' : /Mac OS X/.test(userAgent) ? 'macOS' : /Linux/.test(userAgent) ? 'Linux' : '';
  return os ? `${browser} on ${os}` : browser;
}

/** A token's access in words: no scopes = everything its owner may do; only ":view" permissions = read only. */
export function scopeText(scopes: string[] | null): string {
  if (!scopes) return 'Everything';
  if (scopes.every((s) => s === 'read-only' || s.endsWith(':view'))) return 'Read only';
  return scopes.join(', ');
}

export const EXPIRY_CHOICES: readonly (readonly [TokenExpiry, string])[] = [
  ['OneHour', '1 hour'],
  ['1', '1 day'],
  ['7', '7 days'],
  ['30', '30 days'],
  ['60', '60 days'],
  ['90', '90 days'],
  ['Unlimited', 'Never expires'],
];

export const isExpiry = (value: string): value is TokenExpiry => EXPIRY_CHOICES.some(([v]) => v === value);
