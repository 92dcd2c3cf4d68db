import { pino } from 'pino';
import type { GatehouseConfig } from './config/index.js';
import { createGatehouse, type Gatehouse } from './compose.js';
import type { CacheSizes } from './core.js';
import { buildApp, startMetricsServer, type App } from './http/index.js';
import { createPrometheusMetrics } from './metrics/index.js';
import { systemClock } from './shared/index.js';
import { countActiveSessions, migrateToLatest, openDatabase } from './storage/index.js';

export interface RunningGatehouse {
  app: App;
  gatehouse: Gatehouse;
  url: string;
  /**
   * The few lines an operator must see once (bootstrap passwords); they never go to the log. The caller prints them
   * last, after its banner, so the request log cannot scroll them away before anyone reads them.
   */
  notices: readonly string[];
  close(): Promise<void>;
}

/**
 * Composition root: configuration -> database (migrated) -> services -> HTTP app -> listen.
 * `options.cacheSizes` bounds the per-instance caches (the scale benchmark runs with them cold); the defaults otherwise.
 */
export async function startGatehouse(config: GatehouseConfig, options: { cacheSizes?: CacheSizes } = {}): Promise<RunningGatehouse> {
  // One JSON logger for the HTTP layer, the services and the database pool; secrets are never passed to it.
  const logger = pino({ level: config.server.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] });
  // OpenMetadata settings Gatehouse ignores are named at every start, so nobody relies on one by mistake.
  for (const { name, reason } of config.unsupportedSettings) logger.warn({ setting: name }, `${name} is an OpenMetadata setting Gatehouse does not support and ignores: ${reason}`);
  const handle = openDatabase({ url: config.database.url, logger });
  const metrics = createPrometheusMetrics({
    activeSessions: () => countActiveSessions(handle.db, systemClock.now()),
    poolUsage: () => handle.poolUsage(),
  });
  let gatehouse: Gatehouse | undefined;
  let app: App | undefined;
  let metricsServer: { url: string; close(): Promise<void> } | undefined;
  try {
    await migrateToLatest(handle);
    gatehouse = await createGatehouse({ config, handle, clock: systemClock, logger, metrics, ...(options.cacheSizes ? { cacheSizes: options.cacheSizes } : {}) });
    const report = await gatehouse.prepare();
    const notices: string[] = [];
    const print = (line: string) => notices.push(line);
    for (const admin of report.bootstrapAdmins) {
      if (admin.generatedPassword) {
        print(`Bootstrap administrator "${admin.name}" created. One-time password (shown once, change it at first sign-in):`);
        print(`    ${admin.generatedPassword}`);
      } else {
        print(`Bootstrap administrator "${admin.name}" created with the configured initial password; change it at first sign-in.`);
      }
    }
    app = await buildApp(gatehouse.appDeps, { loggerInstance: logger });
    const address = await app.listen({ host: config.server.host, port: config.server.port });
    if (config.metrics.port !== null) {
      const scrape = async () => ({ contentType: metrics.contentType, body: await metrics.render() });
      metricsServer = await startMetricsServer(config, scrape);
      print(`Metrics on ${metricsServer.url}`);
    }
    const [started, services, scraper] = [app, gatehouse, metricsServer];
    return {
      app: started,
      gatehouse: services,
      url: address,
      notices,
      async close() {
        await scraper?.close();
        await started.close();
        await services.close();
        await handle.close();
      },
    };
  } catch (error) {
    // A refused start releases everything it opened (timers, the PostgreSQL change feed, the pool), so the process
    // ends at once with a non-zero code and systemd or Kubernetes see the failure instead of a silent, idle process.
    await metricsServer?.close().catch(() => {});
    await app?.close().catch(() => {});
    await gatehouse?.close().catch(() => {});
    await handle.close().catch(() => {});
    throw error;
  }
}
