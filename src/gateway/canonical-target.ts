import { GatehouseError } from '../errors/index.js';
import { canonicalPath } from './canonical-path.js';
import { normaliseHost } from './host.js';

/** What a proxy forwards about the original request. */
export interface ForwardedRequest {
  readonly method: string;
  /** The Host the proxy forwarded (its own Host header or X-Forwarded-Host it set), e.g. "Data.Example.com:443". */
  readonly host: string;
  /** Path and query exactly as the client sent them, e.g. "/api/v1;v1%2fusers?x=1". */
  readonly target: string;
  /** The request's headers, lower-case names (a Node.js IncomingHttpHeaders works as is). */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /**
   * Required, so nobody forgets to decide: true only when the proxy in front sets X-Forwarded-Host itself (and drops
   * the client's). Otherwise a client-sent X-Forwarded-Host is ignored.
   */
  readonly trustForwardedHost: boolean;
  /** Whether the upstream behind this host ignores case in paths (then "/ADMIN" is "/admin"). */
  readonly caseInsensitive: (host: string) => boolean;
}

/** The request as the upstream will understand it. */
export interface CanonicalTarget {
  readonly method: string;
  readonly host: string;
  readonly path: string;
  /** The query as sent (rules do not look at it), without the "?". */
  readonly query: string;
}

const OVERRIDE_HEADERS = ['x-http-method-override', 'x-method-override', 'x-http-method'];
const TOKEN = /^[A-Za-z]{1,20}$/;

function refuse(detail: string): never {
  throw new GatehouseError('GATEWAY_TARGET_REFUSED', detail);
}

function single(headers: ForwardedRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  const values = (typeof value === 'string' ? [value] : [...value]).flatMap((v) => v.split(',')).map((v) => v.trim());
  // Two values mean two proxies (or a client and a proxy) disagree; there is no safe one to pick.
  if (values.length !== 1) refuse(`${name} holds more than one value`);
  return values[0];
}

// Frameworks (Express method-override, Spring HiddenHttpMethodFilter, Rails, Laravel) let these turn a GET into a
// DELETE after the rules ran. Judging them as "the stricter method" would need to know every framework; refuse instead.
function refuseMethodOverride(method: string, headers: ForwardedRequest['headers'], query: string): void {
  for (const name of OVERRIDE_HEADERS) {
    const value = headers[name];
    if (value !== undefined) refuse(`the method-override header ${name} is refused`);
  }
  for (const key of new URLSearchParams(query).keys()) {
    if (key.toLowerCase() === '_method') refuse(`the method-override parameter _method is refused (method ${method})`);
  }
}

/**
 * The canonical request target: method upper-cased, host normalised (the proxy's, or a trusted X-Forwarded-Host),
 * path normalised as the upstream routes it. Throws GATEWAY_TARGET_REFUSED for anything that could be read two ways.
 */
export function canonicalTarget(request: ForwardedRequest): CanonicalTarget {
  if (!TOKEN.test(request.method)) refuse('the method is not a plain HTTP method name');
  const method = request.method.toUpperCase();
  const forwardedHost = request.trustForwardedHost ? single(request.headers, 'x-forwarded-host') : undefined;
  const host = normaliseHost(forwardedHost ?? request.host);
  if (host === null) refuse('the host is not a plain host name');
  const question = request.target.indexOf('?');
  const rawPath = question >= 0 ? request.target.slice(0, question) : request.target;
  const query = question >= 0 ? request.target.slice(question + 1) : '';
  refuseMethodOverride(method, request.headers, query);
  return { method, host, path: canonicalPath(rawPath, request.caseInsensitive(host)), query };
}

/** Memoised targets longer than this are not kept: proxies resend a few short URLs; a long one would only bloat the memo. */
const MAX_MEMO_TARGET = 2_048;

/**
 * canonicalTarget for one access policy, memoised per (method, host, raw target) in a small LRU: proxies send the same
 * few URLs again and again, and the path normalisation is the check's largest own cost. Exactly canonicalTarget's
 * answers and refusals: the parts that depend on other headers (method and X-Forwarded-Host checks, method-override
 * headers) run on every request, and a request with an override header is never memoised.
 */
export function createCanonicalTargets(caseInsensitive: (host: string) => boolean, maxEntries = 1_000) {
  const memo = new Map<string, CanonicalTarget | { readonly refused: string }>();
  return (request: Omit<ForwardedRequest, 'caseInsensitive'>): CanonicalTarget => {
    if (!TOKEN.test(request.method)) refuse('the method is not a plain HTTP method name');
    const forwardedHost = request.trustForwardedHost ? single(request.headers, 'x-forwarded-host') : undefined;
    if (OVERRIDE_HEADERS.some((name) => request.headers[name] !== undefined)) return canonicalTarget({ ...request, caseInsensitive });
    const host = forwardedHost ?? request.host;
    const key = `${request.method}\n${host}\n${request.target}`;
    let known = memo.get(key);
    if (known === undefined) {
      try {
        known = Object.freeze(canonicalTarget({ method: request.method, host, target: request.target, headers: {}, trustForwardedHost: false, caseInsensitive }));
      } catch (error) {
        if (!(error instanceof GatehouseError) || error.code !== 'GATEWAY_TARGET_REFUSED') throw error;
        known = { refused: error.detail ?? error.message };
      }
      if (key.length > MAX_MEMO_TARGET) return answer(known);
      if (memo.size >= maxEntries) memo.delete(memo.keys().next().value as string);
    } else {
      memo.delete(key); // least recently used goes first: a hit moves to the end
    }
    memo.set(key, known);
    return answer(known);
  };
}

function answer(known: CanonicalTarget | { readonly refused: string }): CanonicalTarget {
  if ('refused' in known) refuse(known.refused);
  return known;
}
