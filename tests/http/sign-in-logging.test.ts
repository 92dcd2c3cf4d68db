import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/index.js';
import { startHostileIdp, type HostileIdp } from '../support/hostile-idp.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Each refused sign-in is logged once: by the route when it redirects, by the error handler when it answers. */
let idp: HostileIdp | undefined;
let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  await idp?.close();
  t = undefined;
  idp = undefined;
});

describe('sign-in failures in the log', () => {
  it('a rate-limited sign-in start is logged once, with its code', async () => {
    idp = await startHostileIdp({ clientId: 'log-client', authMethod: 'none', now: () => t?.clock.now() ?? Date.now() });
    t = await startTestApp({
      AUTHENTICATION_PROVIDER: 'custom-oidc', AUTHENTICATION_AUTHORITY: idp.issuer, AUTHENTICATION_CLIENT_ID: 'log-client',
      AUTHENTICATION_CALLBACK_URL: 'http://127.0.0.1:8585/callback',
    });
    t.clock.set(Date.now());
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
        done();
      },
    });
    const app = await buildApp(t.gatehouse.appDeps, { loggerInstance: pino({ level: 'info' }, sink) });
    try {
      const statuses: number[] = [];
      // Ten sign-ins in progress per client are allowed; the eleventh is refused.
      for (let i = 0; i < 11; i += 1) statuses.push((await app.inject({ method: 'GET', url: '/api/v1/auth/login' })).statusCode);
      expect(statuses).toEqual([...Array<number>(10).fill(302), 429]);
      expect(lines.filter((line) => line['code'] === 'RATE_LIMITED')).toHaveLength(1);
    } finally {
      await app.close();
    }
  });
});
