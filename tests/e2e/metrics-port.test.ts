import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freshPostgresDatabase, SKIP_POSTGRES } from '../support/databases.js';
import { serveProcess } from '../support/serve-process.js';

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-metrics-port-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(SKIP_POSTGRES)('metrics on a port of their own (metrics.port)', () => {
  it('serves /metrics there, with the PostgreSQL pool, and not on the main port', async () => {
    const database = await freshPostgresDatabase();
    const running = await serveProcess({ GATEHOUSE_DATA_DIR: dir, DATABASE_URL: database.url, GATEHOUSE_ADMIN_PASSWORD: 'initial-Admin-pass-1', GATEHOUSE_METRICS_PORT: '0' });
    try {
      // The operator lines follow the "listening on" line that serveProcess waits for, possibly in a later write.
      let metricsUrl: string | undefined;
      for (let i = 0; i < 100 && !metricsUrl; i++) {
        metricsUrl = /Metrics on (http:\/\/\S+)/.exec(running.stdout())?.[1];
        if (!metricsUrl) await new Promise((r) => setTimeout(r, 50));
      }
      expect(metricsUrl).toBeDefined();
      expect((await fetch(`${running.url}/readyz`)).status).toBe(200);
      const scrape = await fetch(metricsUrl!);
      expect(scrape.status).toBe(200);
      const text = await scrape.text();
      expect(text).toMatch(/^gatehouse_db_pool_connections\{state="max"\} 10$/m);
      expect(text).toMatch(/^gatehouse_active_sessions 0$/m);
      expect(text).toContain('gatehouse_http_request_duration_seconds_count{route="/readyz",method="GET",status="200"} 1');
      expect((await fetch(`${running.url}/metrics`)).status).toBe(404);
      expect((await fetch(metricsUrl!.replace('/metrics', '/other'))).status).toBe(404);
    } finally {
      await running.stop();
      await database.dispose();
    }
  });
});
