import { randomBytes } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createPostgresChangeFeed, openDatabase, type ChangeEvent } from '../../src/storage/index.js';
import type { Logger } from '../../src/shared/index.js';
import { SKIP_POSTGRES, TEST_POSTGRES_URL } from '../support/databases.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function recordingLogger() {
  const warnings: string[] = [];
  const logger: Logger = { info() {}, debug() {}, error: (_o, msg) => void warnings.push(msg ?? ''), warn: (_o, msg) => void warnings.push(msg ?? '') };
  return { logger, warnings };
}

async function terminate(pid: number): Promise<void> {
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query('select pg_terminate_backend($1)', [pid]);
  await admin.end();
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const started = Date.now();
  while (!check() && Date.now() - started < ms) await sleep(20);
  return check();
}

describe('a dropped PostgreSQL connection does not end the process', () => {
  let proxy: TcpProxy | undefined;
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });

  it.skipIf(SKIP_POSTGRES)('pool: a connection killed while checked out is logged; the next query gets a new connection', async () => {
    const { logger, warnings } = recordingLogger();
    const handle = openDatabase({ url: TEST_POSTGRES_URL, poolSize: 2, logger });
    try {
      // A checked-out connection with no statement running: the case pg reports only as an 'error' event, which
      // ended the process when nothing listened (between the statements of a transaction, for instance).
      await handle.db.connection().execute(async (conn) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(conn);
        await terminate(Number(rows[0]?.pid));
        expect(await until(() => warnings.length > 0, 3000)).toBe(true);
      });
      expect(warnings).toContain('database connection lost; the pool reconnects');
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(handle.db);
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await handle.close();
    }
  });

  it('change feed: a connection attempt that gets no answer gives up after 5 s, so close() (a refused start) ends', async () => {
    // A server that accepts and never answers: a blackholed database host, as close() meets it.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const { logger, warnings } = recordingLogger();
    const feed = createPostgresChangeFeed(`postgres://postgres@127.0.0.1:${port}/test`, undefined, logger);
    try {
      const started = Date.now();
      const closed = await Promise.race([feed.close().then(() => true), sleep(8000).then(() => false)]);
      expect(closed).toBe(true);
      expect(Date.now() - started).toBeLessThan(8000);
      expect(warnings.filter((w) => w.startsWith('change feed could not connect'))).toHaveLength(1);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it.skipIf(SKIP_POSTGRES)('change feed: keeps retrying through an outage longer than one attempt, then listens again and drops caches', async () => {
    proxy = await startTcpProxy(new URL(TEST_POSTGRES_URL).hostname, Number(new URL(TEST_POSTGRES_URL).port || 5432));
    const schema = `feed_${randomBytes(4).toString('hex')}`;
    const { logger, warnings } = recordingLogger();
    const viaProxy = createPostgresChangeFeed(proxy.url(TEST_POSTGRES_URL), schema, logger);
    const direct = createPostgresChangeFeed(TEST_POSTGRES_URL, schema, logger);
    const seen: ChangeEvent[] = [];
    viaProxy.subscribe((e) => seen.push(e));
    try {
      await sleep(300);
      await proxy.cut();
      expect(await until(() => warnings.includes('change feed connection lost; reconnecting'), 3000)).toBe(true);
      expect(seen).toEqual([{ kind: 'roles' }, { kind: 'keys' }]);
      // The first retries (0.5 s, 1 s) are refused: the outage outlasts them.
      await sleep(1800);
      expect(warnings.filter((w) => w.startsWith('change feed could not connect')).length).toBeGreaterThanOrEqual(2);
      await proxy.restore();
      seen.length = 0;
      // Reconnected: an event from another instance arrives again (published until one gets through).
      const arrived = await until(() => {
        direct.publish({ kind: 'token', id: 'jti-after-outage' });
        return seen.some((e) => e.kind === 'token');
      }, 10_000);
      expect(arrived).toBe(true);
      // Events sent while it was deaf are lost, so the reconnection dropped every cache once more.
      expect(seen.slice(0, 2)).toEqual([{ kind: 'roles' }, { kind: 'keys' }]);
    } finally {
      await Promise.all([viaProxy.close(), direct.close()]);
    }
  });
});
