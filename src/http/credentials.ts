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
  const values = new Set<string>();
  for (const header of rawHeaderValues(raw, 'cookie')) {
    for (const pair of header.split(';')) {
      const eq = pair.indexOf('=');
      if (eq < 0 || pair.slice(0, eq).trim() !== name) continue;
      const value = decodeCookieValue(pair.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1'));
      if (value !== '') values.add(value);
    }
  }
  return [...values];
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
