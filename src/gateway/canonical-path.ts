import { GatehouseError } from '../errors/index.js';

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
// Encoded bytes an upstream would decode into a separator, a parameter marker or a control character: a rule would see
// one segment where the upstream sees two (CVE-2024-28255 hid "/users" behind "v1;v1%2fusers").
const REFUSED_ENCODED = /%(2f|5c|3b|[01][0-9a-f]|7f)/i;
// Characters a request line never carries raw; a proxy that forwards them is being used for a trick.
const REFUSED_RAW = /[\u0000-\u0020\u007f\\#]/;

function refuse(detail: string): never {
  throw new GatehouseError('GATEWAY_TARGET_REFUSED', detail);
}

/** Raw non-ASCII encoded as UTF-8, as a browser would send it, so both spellings compare equal. */
function asciiOnly(segment: string): string {
  try {
    return segment.replace(/[^\x00-\x7e]+/g, (text) => encodeURIComponent(text));
  } catch {
    return refuse('the path holds text that is not valid Unicode');
  }
}

/**
 * One segment as the upstream reads it: matrix parameters (";jsessionid=...") removed, unreserved characters decoded,
 * everything else kept percent-encoded with upper-case hex. Decoded exactly once: "%252e" stays "%252e", never ".".
 */
function canonicalSegment(raw: string, caseInsensitive: boolean): string {
  // Jetty and Tomcat drop ";..." from every segment before routing, so "/admin;x" is "/admin" upstream.
  // Checked before the parameters go: "v1;v1%2fusers" is refused, not quietly shortened to "v1".
  const hidden = REFUSED_ENCODED.exec(raw);
  if (hidden) refuse(`the encoded character ${hidden[0].toUpperCase()} in the path is refused (an upstream would read it as a separator or control character)`);
  const semicolon = raw.indexOf(';');
  const segment = asciiOnly(semicolon >= 0 ? raw.slice(0, semicolon) : raw);
  let out = '';
  for (let i = 0; i < segment.length; i++) {
    const char = segment.charAt(i);
    if (char !== '%') {
      out += caseInsensitive ? char.toLowerCase() : char;
      continue;
    }
    const hex = segment.slice(i + 1, i + 3);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) refuse(`malformed percent-encoding in the path segment "${raw}"`);
    const encoded = `%${hex.toUpperCase()}`;
    const decoded = String.fromCharCode(Number.parseInt(hex, 16));
    out += UNRESERVED.test(decoded) ? (caseInsensitive ? decoded.toLowerCase() : decoded) : encoded;
    i += 2;
  }
  return out;
}

/**
 * The path as the upstream will route it (RFC 3986 normalisation plus what Java servlet containers do): matrix
 * parameters stripped per segment, unreserved characters decoded once, dot segments removed (also "%2e%2e" and "..;"),
 * duplicate slashes collapsed, lower-cased when the upstream ignores case. Throws GATEWAY_TARGET_REFUSED for spellings
 * that different upstreams read differently: encoded slashes, backslashes, semicolons and control characters.
 */
export function canonicalPath(path: string, caseInsensitive: boolean): string {
  if (!path.startsWith('/')) refuse('the path must start with "/"');
  if (REFUSED_RAW.test(path)) refuse('the path holds a backslash, a "#", whitespace or a control character');
  const raw = path.split('/').slice(1);
  const out: string[] = [];
  for (const [index, piece] of raw.entries()) {
    const segment = canonicalSegment(piece, caseInsensitive);
    const last = index === raw.length - 1;
    if (segment === '..') out.pop();
    // "." and "" (from "//") name no segment; the final one still marks a trailing slash, as RFC 3986 5.2.4 keeps it.
    if (segment === '..' || segment === '.' || segment === '') {
      if (last) out.push('');
      continue;
    }
    out.push(segment);
  }
  return `/${out.join('/')}`;
}
