import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeAdminCommands } from '../../src/cli/commands/admin.js';
import type { CliIo } from '../../src/cli/index.js';
import { createGatehouse } from '../../src/compose.js';
import { CSRF_HEADER_NAME, CSRF_HEADER_VALUE } from '../../src/sessions/index.js';
import { openDatabase } from '../../src/storage/index.js';
import { SKIP_POSTGRES, TEST_POSTGRES_URL } from '../support/databases.js';
import { secondInstance } from '../support/second-instance.js';
import { startTestApp, type TestApp, USER_PASSWORD } from '../support/test-app.js';

interface Pair { accessToken: string; refreshToken: string }

/** The code a's next request gets for the token, polled until it is `wanted` or a second has passed. */
async function codeWithinASecond(a: TestApp, token: string, wanted: string): Promise<string> {
  const deadline = Date.now() + 1000;
  for (;;) {
    const res = await a.call({ method: 'GET', url: '/api/v1/users/loggedInUser', token });
    const code = res.statusCode === 200 ? 'OK' : (res.json() as { code: string }).code;
    if (code === wanted || Date.now() > deadline) return code;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(SKIP_POSTGRES)('on PostgreSQL, an ended sign-in is refused by every instance', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('a logout on instance B makes instance A refuse the access token it has cached, within a second', async () => {
    const a = await startTestApp({}, { engine: 'postgres' });
    cleanups.push(() => a.close());
    const b = await secondInstance(a);
    cleanups.push(() => b.close());
    await a.userToken('dave');
    const pair = (await a.login('dave', USER_PASSWORD)).json<Pair>();
    expect(await codeWithinASecond(a, pair.accessToken, 'OK')).toBe('OK'); // verified and cached on A
    const out = await b.app.inject({ method: 'POST', url: '/api/v1/users/logout', payload: { token: pair.accessToken, username: 'dave' } });
    expect(out.statusCode).toBe(200);
    expect(await codeWithinASecond(a, pair.accessToken, 'AUTH_TOKEN_REVOKED')).toBe('AUTH_TOKEN_REVOKED');
  });

  it('`gatehouse admin set-password` ends the user\'s sessions, refresh tokens and access tokens on a running instance', async () => {
    const a = await startTestApp({}, { engine: 'postgres' });
    cleanups.push(() => a.close());
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-set-password-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    await a.userToken('dave');
    const pair = (await a.login('dave', USER_PASSWORD)).json<Pair>();
    const sameOrigin = { origin: new URL(a.gatehouse.appDeps.config.server.publicUrl).origin, [CSRF_HEADER_NAME]: CSRF_HEADER_VALUE };
    const browser = await a.call({ method: 'POST', url: '/api/v1/auth/basic', headers: sameOrigin, payload: { username: 'dave', password: USER_PASSWORD } });
    const cookie = browser.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    expect((await a.call({ method: 'GET', url: '/api/v1/users/loggedInUser', headers: { cookie } })).statusCode).toBe(200);
    expect(await codeWithinASecond(a, pair.accessToken, 'OK')).toBe('OK');

    // The command's own services, as `gatehouse admin set-password` opens them, but on this test's schema.
    const commands = makeAdminCommands({
      async openServices(config) {
        const handle = openDatabase({ url: TEST_POSTGRES_URL, schema: a.handle.schema, poolSize: 2 });
        const gatehouse = await createGatehouse({ config, handle, clock: a.clock });
        return { basicSignIn: gatehouse.appDeps.basicSignIn, close: async () => (await gatehouse.close(), await handle.close()) };
      },
    });
    const file = join(dir, 'password');
    writeFileSync(file, 'operator-Set-Passphrase-5\n');
    const out: string[] = [];
    const io: CliIo = { out: (l) => out.push(l), err: (l) => out.push(l), env: { GATEHOUSE_DATA_DIR: dir } };
    expect(await commands.setPassword.run(['dave', '--password-file', file], io)).toBe(0);
    expect(out.join('\n')).toMatch(/Password of "dave" set/);

    expect(await codeWithinASecond(a, pair.accessToken, 'AUTH_TOKEN_REVOKED')).toBe('AUTH_TOKEN_REVOKED');
    expect((await a.call({ method: 'POST', url: '/api/v1/users/refresh', payload: { refreshToken: pair.refreshToken } })).statusCode).toBe(401);
    expect((await a.call({ method: 'GET', url: '/api/v1/users/loggedInUser', headers: { cookie } })).statusCode).toBe(401);
    expect((await a.login('dave', USER_PASSWORD)).statusCode).toBe(401);
    const fresh = await a.login('dave', 'operator-Set-Passphrase-5');
    expect(fresh.json<{ mustChangePassword: boolean }>().mustChangePassword).toBe(false);
    const audit = await a.gatehouse.services.audit.list({ type: 'auth.password.reset', limit: 5, offset: 0 });
    // The test clock is frozen, so the earlier admin reset shares the timestamp: find the CLI's record by its actor.
    expect(audit.data.filter((e) => e.actorName === 'cli')).toMatchObject([{ details: { via: 'cli' } }]);
  });
});
