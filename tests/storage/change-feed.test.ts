import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPostgresChangeFeed, type ChangeEvent } from '../../src/storage/index.js';
import { silentLogger } from '../../src/shared/index.js';
import { SKIP_POSTGRES, TEST_POSTGRES_URL } from '../support/databases.js';
import { startTcpProxy } from '../support/tcp-proxy.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(SKIP_POSTGRES)('PostgreSQL change feed', () => {
  it('delivers an event published by one instance to another within a second', async () => {
    const schema = `feed_${randomBytes(4).toString('hex')}`;
    const a = createPostgresChangeFeed(TEST_POSTGRES_URL, schema, silentLogger);
    const b = createPostgresChangeFeed(TEST_POSTGRES_URL, schema, silentLogger);
    const other = createPostgresChangeFeed(TEST_POSTGRES_URL, `${schema}_x`, silentLogger);
    const seenByB: ChangeEvent[] = [];
    const seenByOther: ChangeEvent[] = [];
    b.subscribe((e) => seenByB.push(e));
    other.subscribe((e) => seenByOther.push(e));
    try {
      await new Promise((r) => setTimeout(r, 200));
      const started = Date.now();
      a.publish({ kind: 'token', id: 'jti-1' });
      while (seenByB.length === 0 && Date.now() - started < 1000) await new Promise((r) => setTimeout(r, 10));
      expect(seenByB).toEqual([{ kind: 'token', id: 'jti-1' }]);
      expect(seenByOther).toEqual([]);
    } finally {
      await Promise.all([a.close(), b.close(), other.close()]);
    }
  });

  // A revocation on an instance whose own feed connection is down (a blip on its side only) used to be applied locally
  // and never told to the others, which kept the token in their caches. It must be sent once the connection is back.
  it('an event published while the publisher\'s connection is down reaches the others once it reconnects', async () => {
    const schema = `feed_${randomBytes(4).toString('hex')}`;
    const target = new URL(TEST_POSTGRES_URL);
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const a = createPostgresChangeFeed(proxy.url(TEST_POSTGRES_URL), schema, silentLogger);
    const b = createPostgresChangeFeed(TEST_POSTGRES_URL, schema, silentLogger);
    const seenByB: ChangeEvent[] = [];
    b.subscribe((e) => seenByB.push(e));
    try {
      await sleep(300);
      await proxy.cut();
      await sleep(100);
      a.publish({ kind: 'token', id: 'revoked-while-cut' });
      await sleep(300);
      expect(seenByB).toEqual([]);
      await proxy.restore();
      const started = Date.now();
      while (!seenByB.some((e) => e.kind === 'token') && Date.now() - started < 10_000) await sleep(20);
      expect(seenByB).toContainEqual({ kind: 'token', id: 'revoked-while-cut' });
    } finally {
      await Promise.all([a.close(), b.close()]);
      await proxy.close();
    }
  });

  it('close() does not hang on events it cannot send (the database is gone)', async () => {
    const target = new URL(TEST_POSTGRES_URL);
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const a = createPostgresChangeFeed(proxy.url(TEST_POSTGRES_URL), `feed_${randomBytes(4).toString('hex')}`, silentLogger);
    await sleep(300);
    await proxy.cut();
    a.publish({ kind: 'token', id: 'never-sent' });
    const started = Date.now();
    await a.close();
    expect(Date.now() - started).toBeLessThan(7_000);
    await proxy.close();
  });
});
