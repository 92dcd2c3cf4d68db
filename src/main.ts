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
  const handle = openDatabase({ url: config.database.url });
  try {
    await migrateToLatest(handle);
    // One JSON logger for the HTTP layer and the services; secrets are never passed to it.
    const logger = pino({ level: config.server.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] });
    const gatehouse = await createGatehouse({ config, handle, clock: systemClock, logger });
    const report = await gatehouse.prepare();
    for (const admin of report.bootstrapAdmins) {
      if (admin.generatedPassword) {
        print(`Bootstrap administrator "${admin.name}" created. One-time password (shown once, change it at first sign-in):`);
        print(`    ${admin.generatedPassword}`);
      } else {
        print(`Bootstrap administrator "${admin.name}" created with the configured initial password; change it at first sign-in.`);
      }
    }
    const app = await buildApp(gatehouse.appDeps, { loggerInstance: logger });
    const address = await app.listen({ host: config.server.host, port: config.server.port });
    return {
      app,
      gatehouse,
      url: address,
      async close() {
        await app.close();
        await gatehouse.close();
        await handle.close();
      },
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
