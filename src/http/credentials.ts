import type { IncomingMessage } from 'node:http';

/**
 * Every value of a request header, in order. Node keeps only the first `Authorization` header in `headers` and silently
 * drops the rest, so a second one is visible only in `rawHeaders`.
 */
export function rawHeaderValues(raw: Pick<IncomingMessage, 'rawHeaders'>, name: string): string[] {
  const wanted = name.toLowerCase();
  const values: string[] = [];
  for (let i = 0; i + 1 < raw.rawHeaders.length; i += 2) {
    if (raw.rawHeaders[i]?.toLowerCase() === wanted) values.push(raw.rawHeaders[i + 1] ?? '');
  }
  return values;
}

/**
 * The distinct non-empty values of the cookie `name` across all Cookie headers. The cookie parser keeps the first of
 * repeated names, so two session cookies (e.g. a stale one on another path) would silently pick one: callers refuse
 * more than one instead. Identical copies name the same session, so they are not ambiguous.
 */
export function cookieValues(raw: Pick<IncomingMessage, 'rawHeaders'>, name: string): string[] {
  return cookieValuesIn(rawHeaderValues(raw, 'cookie'), name);
}

/** cookieValues over Cookie header values already collected (see credentialHeaders). */
export function cookieValuesIn(headers: readonly string[], name: string): string[] {
  const values: string[] = [];
  for (const header of headers) {
    // Names are compared as sent (not decoded), so a header without the name's text cannot hold the cookie.
    if (!header.includes(name)) continue;
    for (const pair of header.split(';')) {
      const eq = pair.indexOf('=');
      if (eq < 0 || pair.slice(0, eq).trim() !== name) continue;
      const value = decodeCookieValue(unquote(pair.slice(eq + 1).trim()));
      if (value !== '' && !values.includes(value)) values.push(value);
    }
  }
  return values;
}

/** `"value"` as value, as the cookie parser reads it (header values hold no line breaks, so this is /^"(.*)"$/). */
function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

/**
 * Every Authorization and every Cookie header value, in order, in one pass over rawHeaders (the authentication hook runs
 * on every request). A name is lower-cased only when its length matches, so most names are never copied.
 */
export function credentialHeaders(raw: Pick<IncomingMessage, 'rawHeaders'>): { authorizations: string[]; cookies: string[] } {
  const authorizations: string[] = [];
  const cookies: string[] = [];
  const headers = raw.rawHeaders;
  for (let i = 0; i + 1 < headers.length; i += 2) {
    const name = headers[i] ?? '';
    if (name.length === 13 && name.toLowerCase() === 'authorization') authorizations.push(headers[i + 1] ?? '');
    else if (name.length === 6 && name.toLowerCase() === 'cookie') cookies.push(headers[i + 1] ?? '');
  }
  return { authorizations, cookies };
}

/** As the cookie parser does: percent-decoded when that is valid, else the raw text. */
function decodeCookieValue(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
