import { pino } from 'pino';
import type { GatehouseConfig } from './config/index.js';
import { createGatehouse, type Gatehouse } from './compose.js';
import { buildApp, type App } from './http/index.js';
import { systemClock } from './shared/index.js';
import { migrateToLatest, openDatabase } from './storage/index.js';

export interface RunningGatehouse {
  app: App;
  gatehouse: Gatehouse;
  url: string;
  close(): Promise<void>;
}

/**
 * Composition root: configuration -> database (migrated) -> services -> HTTP app -> listen.
 * `print` receives the few lines an operator must see once (bootstrap passwords); they never go to the log.
 */
export async function startGatehouse(config: GatehouseConfig, print: (line: string) => void): Promise<RunningGatehouse> {
  // One JSON logger for the HTTP layer, the services and the database pool; secrets are never passed to it.
  const logger = pino({ level: config.server.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] });
  // OpenMetadata settings Gatehouse ignores are named at every start, so nobody relies on one by mistake.
  for (const { name, reason } of config.unsupportedSettings) logger.warn({ setting: name }, `${name} is an OpenMetadata setting Gatehouse does not support and ignores: ${reason}`);
  const handle = openDatabase({ url: config.database.url, logger });
  let gatehouse: Gatehouse | undefined;
  let app: App | undefined;
  try {
    await migrateToLatest(handle);
    gatehouse = await createGatehouse({ config, handle, clock: systemClock, logger });
    const report = await gatehouse.prepare();
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
    const [started, services] = [app, gatehouse];
    return {
      app: started,
      gatehouse: services,
      url: address,
      async close() {
        await started.close();
        await services.close();
        await handle.close();
      },
    };
  } catch (error) {
    // A refused start releases everything it opened (timers, the PostgreSQL change feed, the pool), so the process
    // ends at once with a non-zero code and systemd or Kubernetes see the failure instead of a silent, idle process.
    await app?.close().catch(() => {});
    await gatehouse?.close().catch(() => {});
    await handle.close().catch(() => {});
    throw error;
  }
}
