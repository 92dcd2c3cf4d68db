import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSigningKeyStore } from '../../src/storage/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// Only the interval timers are faked: the database and HTTP injection keep their real asynchronous behaviour.
describe('keys retired by another process (CLI on the same SQLite file) stop verifying within one reload period', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    vi.useRealTimers();
  });

  it('a cached bot token of a key retired behind the server is refused after the 60 s reload, not before', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    t = await startTestApp();
    const admin = await t.adminToken();
    const bot = (await t.call({ method: 'POST', url: '/api/v1/bots', token: admin, payload: { name: 'reload-bot' } })).json<{ botUser: { id: string } }>();
    const token = (await t.call({ method: 'PUT', url: `/api/v1/users/generateToken/${bot.botUser.id}`, token: admin, payload: { JWTTokenExpiry: '7' } })).json<{ JWTToken: string }>().JWTToken;
    const me = () => t!.call({ method: 'GET', url: '/api/v1/users/loggedInUser', token });
    expect((await me()).statusCode).toBe(200);

    const oldKid = (JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as { kid: string }).kid;
    expect((await t.call({ method: 'POST', url: '/api/v1/system/keys/rotate', token: admin })).statusCode).toBe(200);
    expect((await me()).statusCode).toBe(200);
    // What `gatehouse keys retire` does from another process: a database write, with no change event on SQLite.
    expect(await createSigningKeyStore(t.handle.db, t.handle.engine).retire(oldKid, t.clock.now())).toBe(true);
    // Still served from this instance's cache and key set until the next reload...
    expect((await me()).statusCode).toBe(200);

    vi.advanceTimersByTime(60_000);
    await vi.waitFor(async () => {
      const refused = await me();
      expect(refused.statusCode).toBe(401);
      expect(refused.json<{ code: string }>().code).toBe('AUTH_TOKEN_UNKNOWN_KID');
    });
    const jwks = (await t.call({ method: 'GET', url: '/api/v1/system/config/jwks' })).json<{ keys: { kid: string }[] }>();
    expect(jwks.keys.map((k) => k.kid)).not.toContain(oldKid);
  });
});
