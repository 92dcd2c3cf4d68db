import { afterEach, describe, expect, it } from 'vitest';
import { queryCounter } from '../support/query-counter.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('a token\'s last use is written off the request path', () => {
  const apps: TestApp[] = [];
  afterEach(async () => {
    for (const t of apps.splice(0)) await t.close();
  });

  it('N requests with a bot token send no write; graceful shutdown writes the latest use in one statement', async () => {
    const counter = queryCounter();
    const t = await startTestApp({}, { plugins: [counter.plugin] });
    apps.push(t);
    const admin = await t.adminToken();
    const bot = (await t.call({ method: 'POST', url: '/api/v1/bots', token: admin, payload: { name: 'busy-bot' } })).json<{ botUser: { id: string } }>();
    const generated = (await t.call({ method: 'PUT', url: `/api/v1/users/generateToken/${bot.botUser.id}`, token: admin, payload: { JWTTokenExpiry: '7' } })).json<{ JWTToken: string }>();
    // The bot's token changes, so its record is read once; every later request is answered from the cache.
    const requests = await counter.during(async () => {
      for (let i = 0; i < 30; i += 1) {
        expect((await t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', token: generated.JWTToken })).statusCode).toBe(200);
        t.clock.advance(1000);
      }
    });
    expect(requests.kinds.filter((k) => k !== 'SelectQueryNode')).toEqual([]);
    const lastUse = t.clock.now() - 1000;

    const shutdown = await counter.during(() => t.gatehouse.close());
    expect(shutdown.kinds.filter((k) => k === 'UpdateQueryNode')).toHaveLength(1);
    const row = await t.handle.db.selectFrom('api_tokens').select('last_used_at').where('user_id', '=', bot.botUser.id).where('revoked_at', 'is', null).executeTakeFirstOrThrow();
    expect(row.last_used_at).toBe(lastUse);
  });
});
