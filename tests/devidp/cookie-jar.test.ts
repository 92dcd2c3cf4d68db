import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CookieClient, CookieJar } from '../support/cookie-jar.js';

const A = 'http://127.0.0.1:1111';
const B = 'http://127.0.0.1:2222';

describe('CookieJar', () => {
  it('keeps cookies per origin by default, and per host (like a browser) on request', () => {
    const jar = new CookieJar();
    jar.set(`${A}/login`, 'sid=a; Path=/');
    expect(jar.header(`${A}/x`)).toBe('sid=a');
    expect(jar.header(`${B}/x`)).toBeUndefined();
    const browserLike = new CookieJar({ scope: 'host' });
    browserLike.set(`${A}/login`, 'sid=a; Path=/');
    expect(browserLike.header(`${B}/x`)).toBe('sid=a');
  });

  it('matches paths as RFC 6265 says, with the default path from the request and the longest path first', () => {
    const jar = new CookieJar();
    jar.set(`${A}/oidc/2/interaction/abc`, 'noPath=1');
    jar.set(`${A}/`, 'root=1; Path=/');
    jar.set(`${A}/`, 'deep=1; Path=/oidc/2');
    // noPath's default path is /oidc/2/interaction: the longest, so first.
    expect(jar.header(`${A}/oidc/2/interaction/xyz`)).toBe('noPath=1; deep=1; root=1');
    expect(jar.header(`${A}/oidc/2`)).toBe('deep=1; root=1');
    expect(jar.header(`${A}/oidc/22`)).toBe('root=1');
    expect(jar.header(`${A}/other`)).toBe('root=1');
  });

  it('replaces, expires and deletes cookies by Max-Age (over Expires) with an injectable clock', () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const jar = new CookieJar({ now: () => now });
    jar.set(A, 'a=1; Path=/; Max-Age=60; Expires=Thu, 01 Jan 2099 00:00:00 GMT');
    jar.set(A, 'b=1; Path=/; Expires=Thu, 01 Jan 2026 00:00:30 GMT');
    jar.set(A, 'c=1; Path=/');
    jar.set(A, 'c=2; Path=/');
    expect(jar.header(A)).toBe('a=1; b=1; c=2');
    now += 31_000;
    expect(jar.header(A)).toBe('a=1; c=2');
    now += 30_000;
    expect(jar.header(A)).toBe('c=2');
    jar.set(A, 'c=; Path=/; Max-Age=0');
    expect(jar.header(A)).toBeUndefined();
  });

  it('refuses Secure cookies from plain http except on loopback, a Domain it does not belong to, and broken prefixes', () => {
    const jar = new CookieJar();
    jar.set('http://app.example/', 's=1; Secure');
    jar.set('http://app.example/', 'd=1; Domain=other.example');
    jar.set('https://app.example/', '__Host-h=1; Secure; Path=/; Domain=app.example');
    jar.set('https://app.example/', '__Secure-s=1');
    jar.set('https://app.example/', 'ok=1; Secure; Domain=example');
    expect(jar.all().map((c) => c.name)).toEqual(['ok']);
    expect(jar.header('https://sub.app.example/')).toBe('ok=1');
    expect(jar.header('http://app.example/')).toBeUndefined();
    jar.set(`${A}/`, 'loop=1; Secure; HttpOnly; SameSite=Lax');
    expect(jar.get(`${A}/`, 'loop')).toBe('1');
    expect(jar.all().find((c) => c.name === 'loop')).toMatchObject({ secure: true, httpOnly: true, sameSite: 'lax' });
  });
});

describe('CookieClient', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  async function start(handler: Parameters<typeof createServer>[1]): Promise<string> {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('follows redirects by hand, sending cookies set on the way; 303 turns a POST into a GET, 307 keeps it', async () => {
    const seen: string[] = [];
    const base = await start((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push(`${req.method} ${req.url} cookie=${req.headers.cookie ?? '-'} body=${body || '-'}`);
        if (req.url === '/start') res.writeHead(303, { location: '/next', 'set-cookie': 'step=1; Path=/; HttpOnly' }).end();
        else if (req.url === '/next') res.writeHead(307, { location: '/keep' }).end();
        else if (req.url === '/keep') res.writeHead(302, { location: 'http://127.0.0.1:8585/callback?code=x' }).end();
        else res.writeHead(200).end('done');
      });
    });
    const client = new CookieClient();
    const result = await client.follow(`${base}/start`, { form: { a: '1' } }, { stopAt: (u) => u.startsWith('http://127.0.0.1:8585/callback') });
    expect(result).toMatchObject({ stopped: true, url: 'http://127.0.0.1:8585/callback?code=x' });
    expect(seen).toEqual(['POST /start cookie=- body=a=1', 'GET /next cookie=step=1 body=-', 'GET /keep cookie=step=1 body=-']);
    expect(client.hops.map((h) => h.status)).toEqual([303, 307, 302]);

    const post307 = await start((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => (req.url === '/a' ? res.writeHead(307, { location: '/b' }).end() : res.writeHead(200).end(`${req.method} ${body}`)));
    });
    const kept = await new CookieClient().follow(`${post307}/a`, { form: { x: 'y' } });
    expect(await kept.response.text()).toBe('POST x=y');
  });

  it('stops with an error on a redirect loop', async () => {
    const base = await start((_req, res) => res.writeHead(302, { location: '/again' }).end());
    await expect(new CookieClient().follow(`${base}/`, {}, { maxRedirects: 5 })).rejects.toThrow(/more than 5 redirects/);
  });
});
