import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGatehouse } from '../../src/compose.js';
import { loadConfigOrThrow } from '../../src/config/index.js';
import { buildApp } from '../../src/http/index.js';
import { frozenClock, silentLogger } from '../../src/shared/index.js';
import { openDatabase } from '../../src/storage/index.js';
import { freshDatabase, SKIP_POSTGRES, TEST_POSTGRES_URL } from '../support/databases.js';
import { startTcpProxy } from '../support/tcp-proxy.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Every connection to PostgreSQL (the pool and the change feed) goes through a proxy the test cuts: what a database
// restart, failover or network blip does. The process must survive it and be ready again once the database is back.
describe.skipIf(SKIP_POSTGRES)('a PostgreSQL outage', () => {
  it('leaves the process up: requests fail while it lasts, readiness reports it, and all is ready again after', async () => {
    const target = new URL(TEST_POSTGRES_URL);
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const schema = await freshDatabase('postgres');
    const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-outage-'));
    const handle = openDatabase({ url: proxy.url(TEST_POSTGRES_URL), schema: schema.schema, poolSize: 4, logger: silentLogger });
    const config = loadConfigOrThrow({ env: { GATEHOUSE_DATA_DIR: dataDir, GATEHOUSE_ADMIN_PASSWORD: 'initial-Admin-pass-1' } });
    const gatehouse = await createGatehouse({ config, handle, clock: frozenClock(Date.UTC(2026, 10, 1, 12)), logger: silentLogger });
    await gatehouse.prepare();
    const app = await buildApp(gatehouse.appDeps);
    const ready = () => app.inject({ method: 'GET', url: '/readyz' });
    try {
      expect((await ready()).statusCode).toBe(200);
      const signIn = await app.inject({
        method: 'POST', url: '/api/v1/users/login',
        payload: { email: 'admin', password: Buffer.from('initial-Admin-pass-1').toString('base64') },
      });
      const adminToken = (signIn.json() as { accessToken: string }).accessToken;
      // Cut while requests hold connections, so some are checked out (mid-statement or between statements).
      const inFlight = Array.from({ length: 20 }, () => ready());
      await sleep(5);
      await proxy.cut();
      const during = await Promise.all(inFlight);
      expect(during.every((r) => r.statusCode === 200 || r.statusCode === 503)).toBe(true);
      const down = await ready();
      expect(down.statusCode).toBe(503);
      expect(down.json()).toMatchObject({ ready: false, database: 'unreachable' });
      // Requests that need the database get a coded 503 that says when to come back, not a 500 or a hang.
      for (const request of [
        () => app.inject({ method: 'POST', url: '/api/v1/users/login', payload: { email: 'admin', password: Buffer.from('initial-Admin-pass-1').toString('base64') } }),
        () => app.inject({ method: 'GET', url: '/api/v1/users', headers: { authorization: `Bearer ${adminToken}` } }),
        () => app.inject({ method: 'POST', url: '/api/v1/users/logout', headers: { authorization: `Bearer ${adminToken}` }, payload: {} }),
      ]) {
        const started = Date.now();
        const refused = await request();
        expect(refused.statusCode, refused.body).toBe(503);
        expect(refused.json()).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
        expect(refused.headers['retry-after']).toBe('5');
        expect(Date.now() - started).toBeLessThan(6_000);
      }

      await proxy.restore();
      let back = await ready();
      for (let i = 0; i < 100 && back.statusCode !== 200; i++) {
        await sleep(100);
        back = await ready();
      }
      expect(back.json()).toEqual({ ready: true, database: 'ok', migrations: 'ok' });
      // A request that reads and writes through the pool works again (password sign-in of the bootstrap admin).
      const login = await app.inject({
        method: 'POST', url: '/api/v1/users/login',
        payload: { email: 'admin', password: Buffer.from('initial-Admin-pass-1').toString('base64') },
      });
      expect(login.statusCode).toBe(200);
    } finally {
      await app.close();
      await gatehouse.close();
      await handle.close();
      await schema.dispose();
      await proxy.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
