/**
 * A minimal browser for end-to-end tests over HTTP: a cookie jar (per host, honouring Path, Max-Age and deletion) and
 * manual redirects, so every hop of a sign-in can be followed and inspected.
 */
export interface Hop {
  url: string;
  status: number;
  location: string | null;
}

interface StoredCookie {
  value: string;
  path: string;
  expires: number | null;
}

export class BrowserAgent {
  private readonly jar = new Map<string, Map<string, StoredCookie>>();
  readonly hops: Hop[] = [];

  constructor(private readonly headers: Record<string, string> = {}) {}

  cookie(host: string, name: string): string | undefined {
    return this.jar.get(host)?.get(name)?.value;
  }

  setCookie(host: string, name: string, value: string): void {
    const cookies = this.jar.get(host) ?? new Map<string, StoredCookie>();
    cookies.set(name, { value, path: '/', expires: null });
    this.jar.set(host, cookies);
  }

  private cookieHeader(url: URL): string | undefined {
    const now = Date.now();
    const cookies = [...(this.jar.get(url.host) ?? new Map<string, StoredCookie>())]
      .filter(([, c]) => url.pathname.startsWith(c.path) && (c.expires === null || c.expires > now))
      .map(([n, c]) => `${n}=${c.value}`);
    return cookies.length ? cookies.join('; ') : undefined;
  }

  private store(url: URL, response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let path = '/';
      let expires: number | null = null;
      for (const attr of attrs) {
        const [k = '', v = ''] = attr.split('=');
        if (k.toLowerCase() === 'path') path = v || '/';
        if (k.toLowerCase() === 'max-age') expires = Date.now() + Number(v) * 1000;
        if (k.toLowerCase() === 'expires' && expires === null) expires = Date.parse(v);
      }
      const cookies = this.jar.get(url.host) ?? new Map<string, StoredCookie>();
      if (value === '' || (expires !== null && expires <= Date.now())) cookies.delete(name);
      else cookies.set(name, { value, path, expires });
      this.jar.set(url.host, cookies);
    }
  }

  /** One request, no redirect following. */
  async request(url: string, init: { method?: string; form?: Record<string, string>; json?: unknown; headers?: Record<string, string> } = {}): Promise<Response> {
    const target = new URL(url);
    const headers: Record<string, string> = { ...this.headers, ...(init.headers ?? {}) };
    const cookie = this.cookieHeader(target);
    if (cookie) headers['cookie'] = cookie;
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    } else if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    const response = await fetch(target, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    this.store(target, response);
    this.hops.push({ url, status: response.status, location: response.headers.get('location') });
    return response;
  }

  /** Follows redirects (GET after 302/303) until a non-redirect answer; returns it and the final URL. */
  async follow(url: string, init: Parameters<BrowserAgent['request']>[1] = {}, maxHops = 20): Promise<{ response: Response; url: string }> {
    let current = url;
    let response = await this.request(current, init);
    for (let i = 0; i < maxHops && response.status >= 300 && response.status < 400; i++) {
      const location = response.headers.get('location');
      if (!location) break;
      await response.body?.cancel();
      current = new URL(location, current).toString();
      response = await this.request(current);
    }
    return { response, url: current };
  }
}

/** The action URL of the first form in an HTML page. */
export function formAction(html: string, base: string): string {
  const match = /<form[^>]*action="([^"]+)"/i.exec(html);
  if (!match?.[1]) throw new Error('no form in page');
  return new URL(match[1].replace(/&amp;/g, '&'), base).toString();
}

/** Hidden inputs of the first form (e.g. oidc-provider's logout xsrf field). */
export function hiddenInputs(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input[^>]*type="hidden"[^>]*>/gi)) {
    const name = /name="([^"]+)"/.exec(m[0])?.[1];
    const value = /value="([^"]*)"/.exec(m[0])?.[1];
    if (name) out[name] = value ?? '';
  }
  return out;
}
