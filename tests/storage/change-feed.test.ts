import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPostgresChangeFeed, type ChangeEvent } from '../../src/storage/index.js';
import { silentLogger } from '../../src/shared/index.js';
import { SKIP_POSTGRES, TEST_POSTGRES_URL } from '../support/databases.js';

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
});
