import { createGatehouse, type Gatehouse } from '../../src/compose.js';
import { buildApp, type App } from '../../src/http/index.js';
import { openDatabase } from '../../src/storage/index.js';
import { TEST_POSTGRES_URL } from './databases.js';
import type { TestApp } from './test-app.js';

export interface SecondInstance {
  gatehouse: Gatehouse;
  app: App;
  close(): Promise<void>;
}

/** Another Gatehouse on instance A's PostgreSQL schema, with its own change feed (as in a second process). */
export async function secondInstance(a: TestApp): Promise<SecondInstance> {
  const handle = openDatabase({ url: TEST_POSTGRES_URL, schema: a.handle.schema, poolSize: 2 });
  const gatehouse = await createGatehouse({ config: a.gatehouse.appDeps.config, handle, clock: a.clock });
  await gatehouse.prepare();
  const app = await buildApp(gatehouse.appDeps);
  return {
    gatehouse, app,
    async close() {
      await app.close();
      await gatehouse.close();
      await handle.close();
    },
  };
}
