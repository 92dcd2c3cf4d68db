import { afterEach, describe, expect, it } from 'vitest';
import { keyRingOf, makeKeysCommands } from '../../src/cli/commands/keys.js';
import type { CliIo } from '../../src/cli/index.js';
import { createCore } from '../../src/core.js';
import { openDatabase } from '../../src/storage/index.js';
import { SKIP_POSTGRES, TEST_POSTGRES_URL } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// The periodic key reload (60 s) never fires here: only the change event the command publishes can make A notice.
describe.skipIf(SKIP_POSTGRES)('on PostgreSQL, `gatehouse keys rotate|retire` is heard by a running instance at once', () => {
  let a: TestApp | undefined;
  afterEach(async () => {
    await a?.close();
  });

  it('a bot token cached on the instance is refused within a second of `keys retire` of its key', async () => {
    a = await startTestApp({}, { engine: 'postgres' });
    const t = a;
    const admin = await t.adminToken();
    const bot = (await t.call({ method: 'POST', url: '/api/v1/bots', token: admin, payload: { name: 'cli-keys-bot' } })).json<{ botUser: { id: string } }>();
    const token = (await t.call({ method: 'PUT', url: `/api/v1/users/generateToken/${bot.botUser.id}`, token: admin, payload: { JWTTokenExpiry: '7' } })).json<{ JWTToken: string }>().JWTToken;
    const me = () => t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', token });
    expect((await me()).statusCode).toBe(200); // verified and cached on the instance
    const oldKid = (JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as { kid: string }).kid;

    // The command's own core, as `gatehouse keys` opens it, but on this test's schema (another process's connections).
    const commands = makeKeysCommands({
      async openKeyRing() {
        const handle = openDatabase({ url: TEST_POSTGRES_URL, schema: t.handle.schema, poolSize: 2 });
        const core = createCore({ config: t.gatehouse.appDeps.config, handle, clock: t.clock });
        return keyRingOf({ core, close: async () => (await core.close(), await handle.close()) });
      },
    });
    const out: string[] = [];
    const io: CliIo = { out: (l) => out.push(l), err: (l) => out.push(l), env: {} };
    expect(await commands.rotate.run([], io)).toBe(0);
    const newKid = /New active key (\S+)\./.exec(out.join('\n'))?.[1];
    expect((await me()).statusCode).toBe(200); // a retiring key still verifies
    expect(await commands.retire.run([oldKid], io)).toBe(0);

    await expect.poll(async () => (await me()).json<{ code?: string }>().code, { timeout: 1000, interval: 20 }).toBe('AUTH_TOKEN_UNKNOWN_KID');
    const jwks = (await t.call({ method: 'GET', url: '/api/v1/system/config/jwks' })).json<{ keys: { kid: string }[] }>();
    expect(jwks.keys.map((k) => k.kid)).toEqual([newKid]);
  });
});
