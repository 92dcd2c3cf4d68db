/**
 * A small cookie jar and HTTP client for end-to-end tests over real HTTP: cookies are kept from Set-Cookie (with
 * Path, Domain, Max-Age/Expires, Secure and the __Host-/__Secure- prefixes) and sent back on matching requests;
 * redirects are followed by hand, so a test can see and stop at every hop (e.g. at an RP's callback).
 *
 * Scope: by default cookies are kept per origin (scheme, host and port), so two servers on 127.0.0.1 never see each
 * other's cookies. Real browsers share cookies across ports of one host; pass `{ scope: 'host' }` to test that.
 * SameSite is recorded but not enforced (a test client has no notion of the site a request comes from).
 */
export interface StoredCookie {
  readonly name: string;
  readonly value: string;
  /** The host (or origin, in origin scope) that set it, or the Domain attribute's value. */
  readonly domain: string;
  readonly hostOnly: boolean;
  readonly path: string;
  /** Milliseconds since the epoch; null for a session cookie. */
  readonly expires: number | null;
  readonly secure: boolean;
  readonly httpOnly: boolean;
  readonly sameSite: string | undefined;
}

export interface CookieJarOptions {
  scope?: 'origin' | 'host';
  /** Clock for expiry (tests move it). */
  now?: () => number;
}

function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** Browsers send Secure cookies over https, and over http to loopback (a "potentially trustworthy" origin). */
function trustworthy(url: URL): boolean {
  return url.protocol === 'https:' || isLoopback(url.hostname);
}

/** RFC 6265 5.1.4: the default path is the request path up to (not including) its last slash. */
function defaultPath(url: URL): string {
  const path = url.pathname;
  if (!path.startsWith('/') || path.lastIndexOf('/') === 0) return '/';
  return path.slice(0, path.lastIndexOf('/'));
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

export class CookieJar {
  private readonly cookies = new Map<string, StoredCookie & { created: number }>();
  private readonly scope: 'origin' | 'host';
  private readonly now: () => number;
  private counter = 0;

  constructor(options: CookieJarOptions = {}) {
    this.scope = options.scope ?? 'origin';
    this.now = options.now ?? Date.now;
  }

  private site(url: URL): string {
    return this.scope === 'origin' ? url.origin : url.hostname;
  }

  private domainMatches(url: URL, cookie: StoredCookie): boolean {
    if (cookie.hostOnly) return cookie.domain === this.site(url);
    return url.hostname === cookie.domain || url.hostname.endsWith(`.${cookie.domain}`);
  }

  /** Stores one Set-Cookie line received from `url`; invalid or refused lines are ignored, as a browser does. */
  storeLine(url: URL | string, line: string): void {
    const from = new URL(url);
    const [pair = '', ...attributes] = line.split(';');
    const eq = pair.indexOf('=');
    if (eq < 0) return;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (!name) return;
    let path: string | undefined;
    let domain: string | undefined;
    let expires: number | null = null;
    let maxAge: number | undefined;
    let secure = false;
    let httpOnly = false;
    let sameSite: string | undefined;
    for (const attribute of attributes) {
      const i = attribute.indexOf('=');
      const key = (i < 0 ? attribute : attribute.slice(0, i)).trim().toLowerCase();
      const val = i < 0 ? '' : attribute.slice(i + 1).trim();
      if (key === 'path' && val.startsWith('/')) path = val;
      else if (key === 'domain' && val) domain = val.replace(/^\./, '').toLowerCase();
      else if (key === 'max-age' && /^-?\d+$/.test(val)) maxAge = Number(val);
      else if (key === 'expires' && !Number.isNaN(Date.parse(val))) expires = Date.parse(val);
      else if (key === 'secure') secure = true;
      else if (key === 'httponly') httpOnly = true;
      else if (key === 'samesite') sameSite = val.toLowerCase();
    }
    // Max-Age wins over Expires (RFC 6265 5.3 step 3).
    if (maxAge !== undefined) expires = this.now() + maxAge * 1000;
    if (secure && !trustworthy(from)) return;
    if (domain !== undefined && from.hostname !== domain && !from.hostname.endsWith(`.${domain}`)) return;
    if (name.startsWith('__Secure-') && !secure) return;
    if (name.startsWith('__Host-') && (!secure || domain !== undefined || path !== '/')) return;
    const cookie = {
      name, value, domain: domain ?? this.site(from), hostOnly: domain === undefined, path: path ?? defaultPath(from),
      expires, secure, httpOnly, sameSite, created: this.counter++,
    };
    const key = `${cookie.domain}|${cookie.hostOnly}|${cookie.path}|${name}`;
    const previous = this.cookies.get(key);
    // An expired date is how servers delete cookies.
    if (expires !== null && expires <= this.now()) this.cookies.delete(key);
    else this.cookies.set(key, { ...cookie, created: previous?.created ?? cookie.created });
  }

  /** Stores every Set-Cookie header of a response received from `url`. */
  store(url: URL | string, response: Response): void {
    for (const line of response.headers.getSetCookie()) this.storeLine(url, line);
  }

  /** The cookies a request to `url` would carry, most specific path first (RFC 6265 5.4). */
  matching(url: URL | string): StoredCookie[] {
    const to = new URL(url);
    const now = this.now();
    for (const [key, c] of this.cookies) if (c.expires !== null && c.expires <= now) this.cookies.delete(key);
    return [...this.cookies.values()]
      .filter((c) => this.domainMatches(to, c) && pathMatches(to.pathname, c.path) && (!c.secure || trustworthy(to)))
      .sort((a, b) => b.path.length - a.path.length || a.created - b.created);
  }

  /** The Cookie header for a request to `url`, or undefined when none applies. */
  header(url: URL | string): string | undefined {
    const cookies = this.matching(url);
    return cookies.length > 0 ? cookies.map((c) => `${c.name}=${c.value}`).join('; ') : undefined;
  }

  /** The value of a cookie that would be sent to `url`. */
  get(url: URL | string, name: string): string | undefined {
    return this.matching(url).find((c) => c.name === name)?.value;
  }

  /** Sets a cookie as if `url` had answered with this Set-Cookie line (e.g. `set(url, 'a=b; Path=/')`). */
  set(url: URL | string, setCookieLine: string): void {
    this.storeLine(url, setCookieLine);
  }

  all(): StoredCookie[] {
    return [...this.cookies.values()];
  }

  clear(): void {
    this.cookies.clear();
  }
}

export interface RequestOptions {
  method?: string;
  /** Sent as application/x-www-form-urlencoded (POST unless `method` says otherwise). */
  form?: Record<string, string>;
  json?: unknown;
  headers?: Record<string, string>;
}

export interface Hop {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly location: string | null;
}

export interface FollowOptions {
  /** Stop before requesting a URL for which this is true (e.g. an RP callback nobody serves); it becomes `url`. */
  stopAt?: (url: string) => boolean;
  maxRedirects?: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** An HTTP client with a cookie jar that never follows redirects on its own. */
export class CookieClient {
  readonly jar: CookieJar;
  readonly hops: Hop[] = [];
  private readonly headers: Record<string, string>;

  constructor(options: { jar?: CookieJar; headers?: Record<string, string> } = {}) {
    this.jar = options.jar ?? new CookieJar();
    this.headers = options.headers ?? {};
  }

  /** One request: sends the jar's cookies, stores the answer's cookies, does not follow a redirect. */
  async request(url: string | URL, options: RequestOptions = {}): Promise<Response> {
    const target = new URL(url);
    const headers: Record<string, string> = { ...this.headers, ...options.headers };
    const cookie = this.jar.header(target);
    if (cookie) headers['cookie'] = cookie;
    let body: string | undefined;
    if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    } else if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    const method = options.method ?? (body === undefined ? 'GET' : 'POST');
    const response = await fetch(target, { method, headers, body, redirect: 'manual' });
    this.jar.store(target, response);
    this.hops.push({ method, url: target.toString(), status: response.status, location: response.headers.get('location') });
    return response;
  }

  /**
   * Requests `url` and follows redirects as a browser does: 301/302/303 become GET without a body, 307/308 repeat
   * the method and body. Returns the last response and its URL (or, with `stopAt`, the URL it stopped before).
   */
  async follow(url: string | URL, options: RequestOptions = {}, follow: FollowOptions = {}): Promise<{ response: Response; url: string; stopped: boolean }> {
    let current = new URL(url).toString();
    let request = options;
    let response = await this.request(current, request);
    for (let hop = 0; REDIRECTS.has(response.status); hop++) {
      const location = response.headers.get('location');
      if (!location) break;
      if (hop >= (follow.maxRedirects ?? 20)) throw new Error(`more than ${follow.maxRedirects ?? 20} redirects from ${url.toString()}`);
      await response.body?.cancel();
      current = new URL(location, current).toString();
      if (follow.stopAt?.(current)) return { response, url: current, stopped: true };
      // Per-request headers and bodies are not carried to a new URL; the client's own headers always are.
      if (response.status !== 307 && response.status !== 308) request = {};
      response = await this.request(current, request);
    }
    return { response, url: current, stopped: false };
  }
}
