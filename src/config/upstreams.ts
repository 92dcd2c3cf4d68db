import { asBool, asInt, asString, type Problems } from './coerce.js';
import type { RawSource } from './raw-source.js';
import { DEFAULTS } from './settings.js';
import type { UpstreamConfig } from './types.js';

/** The built-in proxy's settings (docs/gateway.md, "Built-in proxy"). */
export interface ProxySettings {
  readonly upstream: string | null;
  readonly upstreams: readonly UpstreamConfig[];
  readonly apiPrefix: string;
  readonly forwardAuthorization: boolean;
  readonly proxyConnectTimeoutMs: number;
  readonly proxyHeadersTimeoutMs: number;
}

// Whole segments of unreserved characters: a prefix is compared with the canonical path, which never holds anything else.
const PLAIN_PREFIX = /^(\/[A-Za-z0-9._~-]+)+$/;

/**
 * An upstream is an origin (http or https, any host: upstreams usually sit on a private network) without credentials,
 * path, query or fragment: the request's own path is forwarded unchanged, so what the rules judged is what it receives.
 */
function upstreamUrl(text: string, where: string, problems: Problems): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    problems.add(`${where} must be an absolute URL such as http://catalog:8080; got ${JSON.stringify(text)}`);
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') problems.add(`${where} must be an http or https URL; got ${JSON.stringify(text)}`);
  else if (url.username || url.password) problems.add(`${where} must not contain a user name or password`);
  else if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    problems.add(`${where} must be an origin only (scheme, host, port), without path, query or fragment; got ${JSON.stringify(text)}`);
  } else return url.origin;
  return null;
}

function plainPrefix(value: unknown, where: string, problems: Problems): string | null {
  if (typeof value !== 'string' || !PLAIN_PREFIX.test(value) || value.split('/').some((s) => s === '.' || s === '..')) {
    problems.add(`${where} must be a path like /lineage (whole segments, no trailing slash, not /); got ${JSON.stringify(value)}`);
    return null;
  }
  return value;
}

function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

function readUpstreamList(raw: RawSource, problems: Problems): UpstreamConfig[] {
  const list = raw.yamlValue('gateway.upstreams');
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    problems.add(`gateway.upstreams in ${raw.fileLabel} must be a list of { pathPrefix, url }`);
    return [];
  }
  const result: UpstreamConfig[] = [];
  list.forEach((entry: unknown, index) => {
    const at = `gateway.upstreams[${index}] in ${raw.fileLabel}`;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      problems.add(`${at} must be an object { pathPrefix, url }`);
      return;
    }
    const record = entry as Record<string, unknown>;
    for (const key of Object.keys(record).filter((k) => k !== 'pathPrefix' && k !== 'url')) problems.add(`${at}: unknown field "${key}" (use pathPrefix, url)`);
    const prefix = plainPrefix(record['pathPrefix'], `${at}.pathPrefix`, problems);
    const url = typeof record['url'] === 'string' ? upstreamUrl(record['url'], `${at}.url`, problems) : null;
    if (typeof record['url'] !== 'string') problems.add(`${at}.url must be text, e.g. http://marquez:5000`);
    if (prefix === null || url === null) return;
    // Nested or equal prefixes would make the choice of upstream depend on an order nobody wrote down.
    const clash = result.find((other) => overlaps(other.pathPrefix, prefix));
    if (clash) problems.add(`${at}.pathPrefix ${prefix} overlaps ${clash.pathPrefix} of an earlier entry; give each upstream its own prefix`);
    else result.push({ pathPrefix: prefix, url });
  });
  return result;
}

/** Reads and checks the built-in proxy's settings; every problem is listed. */
export function readProxySettings(raw: RawSource, problems: Problems): ProxySettings {
  const upstreamText = asString(raw.get('gateway.upstream'), problems);
  const upstream = upstreamText === undefined ? null : upstreamUrl(upstreamText, raw.get('gateway.upstream')?.source ?? 'GATEHOUSE_UPSTREAM', problems);
  const upstreams = readUpstreamList(raw, problems);
  const prefixRaw = raw.get('gateway.apiPrefix');
  const prefixText = asString(prefixRaw, problems);
  let apiPrefix = '';
  if (prefixText !== undefined && prefixText !== '/' && prefixText !== '') {
    apiPrefix = plainPrefix(prefixText, prefixRaw?.source ?? 'GATEHOUSE_API_PREFIX', problems) ?? '';
    const clash = upstreams.find((u) => overlaps(u.pathPrefix, apiPrefix));
    if (clash) problems.add(`gateway.upstreams: ${clash.pathPrefix} overlaps Gatehouse's API prefix ${apiPrefix}`);
  }
  return {
    upstream,
    upstreams,
    apiPrefix,
    forwardAuthorization: asBool(raw.get('gateway.forwardAuthorization'), problems) ?? DEFAULTS['gateway.forwardAuthorization'],
    proxyConnectTimeoutMs: asInt(raw.get('gateway.proxyConnectTimeoutMs'), problems, 100, 120_000) ?? DEFAULTS['gateway.proxyConnectTimeoutMs'],
    proxyHeadersTimeoutMs: asInt(raw.get('gateway.proxyHeadersTimeoutMs'), problems, 100, 3_600_000) ?? DEFAULTS['gateway.proxyHeadersTimeoutMs'],
  };
}
