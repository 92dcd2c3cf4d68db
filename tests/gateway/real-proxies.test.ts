import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_IDENTITY_HEADERS } from '../../src/gateway/index.js';
import { launchBrowser, SKIP_BROWSER, type Browser } from '../support/browser.js';
import { pyJwtSkipReason, runPython } from '../support/pyjwt.js';
import {
  CADDY, freePort, NGINX, proxySkipReason, receivedHeader, startCaddy, startEchoUpstream, startNginx, type Echo, type RunningProcess,
} from '../support/proxies.js';
import { rawRequest } from '../support/raw-http.js';
import { startTestApp, USER_PASSWORD, type TestApp } from '../support/test-app.js';
import { writeGatewayConfig } from './gateway-config.js';

const VERIFY = `
import sys, jwt
url, token, audience = sys.argv[1], sys.argv[2], sys.argv[3]
key = jwt.PyJWKClient(url).get_signing_key_from_jwt(token)
claims = jwt.decode(token, key.key, algorithms=["RS256"], issuer="open-metadata.org", audience=audience, options={"require": ["exp", "iat", "sub", "aud", "jti"]})
print(claims["sub"], ",".join(claims["roles"]))
`;

const PROXIES = [
  { name: 'nginx', binary: NGINX, start: startNginx },
  { name: 'Caddy', binary: CADDY, start: startCaddy },
] as const;

for (const proxyKind of PROXIES) {
  const skip = proxySkipReason(proxyKind.binary);
  if (skip) console.warn(`${proxyKind.name} gateway tests skipped: ${skip}`);

  describe.skipIf(skip !== null)(`${proxyKind.name} (deploy/gateway) in front of Gatehouse and a real upstream`, () => {
    let t: TestApp;
    let admin: string;
    let upstream: RunningProcess;
    let proxy: RunningProcess;
    let base: string;
    let gatehouseBase: string;

    const through = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`${base}${path}`, { redirect: 'manual', ...init });
      const text = await res.text();
      return { status: res.status, headers: res.headers, text, echo: () => JSON.parse(text) as Echo };
    };
    async function bot(name: string, roles: string[]) {
      const created = await t.call({ method: 'POST', url: '/api/v1/bots', token: admin, payload: { name, roles } });
      const { id, name: userName } = created.json<{ botUser: { id: string; name: string } }>().botUser;
      const res = await t.call({ method: 'PUT', url: `/api/v1/users/generateToken/${id}`, token: admin, payload: { JWTTokenExpiry: '7' } });
      return { id, userName, token: res.json<{ JWTToken: string }>().JWTToken };
    }

    beforeAll(async () => {
      upstream = await startEchoUpstream();
      const gatehousePort = await freePort();
      const proxyPort = await freePort();
      base = `http://127.0.0.1:${proxyPort}`;
      gatehouseBase = `http://127.0.0.1:${gatehousePort}`;
      t = await startTestApp({ GATEHOUSE_PUBLIC_URL: base, GATEHOUSE_CONFIG: writeGatewayConfig(mkdtempSync(join(tmpdir(), 'gatehouse-gw-'))) });
      // PyJWT checks exp against the real time.
      t.clock.set(Date.now());
      await t.app.listen({ port: gatehousePort, host: '127.0.0.1' });
      admin = await t.adminToken();
      proxy = await proxyKind.start(proxyPort, gatehousePort, upstream.port);
    }, 60_000);
    afterAll(async () => {
      await proxy?.stop();
      await upstream?.stop();
      await t?.close();
    });

    it('answers an API call without a token with 401, and a bot token reaches the upstream with identity headers only', async () => {
      expect((await through('/api/v1/tables', { method: 'POST', headers: { accept: 'application/json' } })).status).toBe(401);
      expect((await through('/api/v1/tables', { headers: { accept: 'application/json' } })).status).toBe(401);
      const loader = await bot('loader', ['DataSteward']);
      const res = await through('/api/v1/tables?x=1', { method: 'POST', headers: { authorization: `Bearer ${loader.token}`, cookie: 'theme=dark' } });
      expect(res.status, proxy.output()).toBe(200);
      const echo = res.echo();
      expect(echo).toMatchObject({ method: 'POST', url: '/api/v1/tables?x=1' });
      expect(receivedHeader(echo, 'x-auth-request-user')).toEqual([loader.userName]);
      expect(receivedHeader(echo, 'x-gatehouse-roles')).toEqual(['DataSteward']);
      expect(receivedHeader(echo, 'x-gatehouse-auth-method')).toEqual(['bot']);
      expect(receivedHeader(echo, 'authorization')).toEqual([]);
      expect(receivedHeader(echo, 'cookie').join(';')).toContain('theme=dark');
      const [assertion = ''] = receivedHeader(echo, 'x-gatehouse-assertion');
      expect(assertion.split('.')).toHaveLength(3);
    });

    it.skipIf(pyJwtSkipReason !== null)('gives the upstream an assertion PyJWT verifies from the JWKS alone', async () => {
      const reader = await bot('reader-bot', ['DataConsumer']);
      const echo = (await through('/api/v1/tables', { headers: { authorization: `Bearer ${reader.token}` } })).echo();
      const [user = ''] = receivedHeader(echo, 'x-auth-request-user');
      const [assertion = ''] = receivedHeader(echo, 'x-gatehouse-assertion');
      const verified = await runPython(VERIFY, [`${gatehouseBase}/api/v1/system/config/jwks`, assertion, base]);
      expect(verified.stderr).toBe('');
      expect(verified.stdout.trim()).toBe(`${user} DataConsumer`);
      const wrongAudience = await runPython(VERIFY, [`${gatehouseBase}/api/v1/system/config/jwks`, assertion, 'https://other.example.com']);
      expect(wrongAudience.code).not.toBe(0);
    });

    it('answers 403 to a role rule and refuses a revoked bot token on the next request', async () => {
      const reader = await bot('consumer', ['DataConsumer']);
      expect((await through('/api/v1/tables', { headers: { authorization: `Bearer ${reader.token}` } })).status).toBe(200);
      expect((await through('/api/v1/tables/1', { method: 'DELETE', headers: { authorization: `Bearer ${reader.token}` } })).status).toBe(403);
      expect((await through('/admin/x', { headers: { authorization: `Bearer ${reader.token}` } })).status).toBe(403);
      // Path tricks are judged as the upstream reads them, or refused.
      expect((await through('/healthz/..;/admin/x', { headers: { authorization: `Bearer ${reader.token}` } })).status).toBe(403);
      await t.call({ method: 'PUT', url: '/api/v1/users/revokeToken', token: admin, payload: { id: reader.id } });
      expect((await through('/api/v1/tables', { headers: { authorization: `Bearer ${reader.token}` } })).status).toBe(401);
    });

    it('never passes client-sent identity headers (any case, "_" spelling, repeated) to the upstream', async () => {
      const loader = await bot('spoof-check', ['DataConsumer']);
      const port = Number(new URL(base).port);
      const spoofed = ALL_IDENTITY_HEADERS.flatMap((name) => [
        `${name}: spoofed-1`, `${name.toLowerCase()}: spoofed-2`, `${name.toUpperCase().replaceAll('-', '_')}: spoofed-3`, `${name.replaceAll('-', '_')}: spoofed-4`,
      ]);
      const request = (auth: string[]) => rawRequest(port, [`GET /healthz HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Connection: close', ...auth, ...spoofed, '', ''].join('\r\n'));
      for (const auth of [[], [`Authorization: Bearer ${loader.token}`]]) {
        const res = await request(auth);
        expect(res.status, res.body).toBe(200);
        const echo = JSON.parse(res.body) as Echo;
        expect(res.body).not.toMatch(/spoofed/);
        for (const name of ALL_IDENTITY_HEADERS) expect(receivedHeader(echo, name).length, name).toBeLessThanOrEqual(1);
        expect(receivedHeader(echo, 'x-auth-request-user').join('')).toBe(auth.length ? loader.userName : '');
      }
      // Nor can a client name another request for the check: the proxy sets these itself.
      const forged = { 'x-original-url': `${base}/healthz`, 'x-original-uri': '/healthz', 'x-original-method': 'GET', 'x-forwarded-uri': '/healthz', 'x-forwarded-method': 'GET', 'x-forwarded-host': 'evil.example.net', accept: 'application/json' };
      expect((await through('/admin/x', { method: 'DELETE', headers: forged })).status).toBe(401);
    });

    it('signs a browser in with a session that the upstream never sees, and refuses it on the next request after logout', async () => {
      const user = await t.userToken(`viewer-${proxyKind.name.toLowerCase()}`, { roles: ['DataConsumer'] });
      expect(user.id).toBeTruthy();
      const signIn = await fetch(`${base}/api/v1/auth/basic`, {
        method: 'POST', headers: { 'content-type': 'application/json', origin: base, 'x-requested-with': 'gatehouse' },
        body: JSON.stringify({ username: `viewer-${proxyKind.name.toLowerCase()}`, password: USER_PASSWORD }),
      });
      expect(signIn.status, await signIn.clone().text()).toBe(200);
      const session = (signIn.headers.getSetCookie().find((c) => c.startsWith('gatehouse_session=')) ?? '').split(';')[0] ?? '';
      const cookie = `theme=dark; ${session}; lang=en`;
      const page = await through('/dashboards/1', { headers: { cookie, accept: 'text/html' } });
      expect(page.status).toBe(200);
      const echo = page.echo();
      expect(receivedHeader(echo, 'x-gatehouse-auth-method')).toEqual(['session']);
      const forwarded = receivedHeader(echo, 'cookie').join('; ');
      expect(forwarded).toContain('theme=dark');
      expect(forwarded).toContain('lang=en');
      expect(forwarded).not.toContain('gatehouse_session');
      const logout = await fetch(`${base}/api/v1/auth/logout`, { method: 'POST', headers: { cookie, origin: base, 'x-requested-with': 'gatehouse' } });
      expect(logout.status).toBe(200);
      const after = await through('/dashboards/1', { headers: { cookie, accept: 'text/html' } });
      expect(after.status).toBe(302);
      expect(new URL(after.headers.get('location') ?? '', base).searchParams.get('returnTo')).toBe(`${base}/dashboards/1`);
      expect((await through('/dashboards/1', { headers: { cookie, accept: 'application/json' } })).status).toBe(401);
    });

    describe.skipIf(SKIP_BROWSER)('with Chromium', () => {
      let browser: Browser;
      beforeAll(async () => {
        browser = await launchBrowser();
      });
      afterAll(async () => {
        await browser?.close();
      });

      it('sends a signed-out browser to sign-in and back to the original URL', async () => {
        const name = `browser-${proxyKind.name.toLowerCase()}`;
        await t.userToken(name, { roles: ['DataConsumer'] });
        const page = await browser.newPage();
        await page.goto(`${base}/dashboards/7?tab=lineage`);
        await page.waitForURL(/\/signin\?returnTo=/);
        await page.getByLabel('User name or e-mail').fill(name);
        await page.locator('#password').fill(USER_PASSWORD);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.waitForURL(`${base}/dashboards/7?tab=lineage`);
        const echo = JSON.parse((await page.textContent('body')) ?? '{}') as Echo;
        expect(echo.url).toBe('/dashboards/7?tab=lineage');
        expect(receivedHeader(echo, 'x-auth-request-user')).toEqual([name]);
        expect(receivedHeader(echo, 'cookie').join('')).not.toContain('gatehouse_session');
      }, 60_000);
    });
  });
}
