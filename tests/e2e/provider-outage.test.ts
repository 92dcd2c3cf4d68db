import { afterEach, describe, expect, it } from 'vitest';
import { createGatehouse } from '../../src/compose.js';
import { catalogue } from '../../src/errors/index.js';
import { buildApp } from '../../src/http/index.js';
import { freshDatabase } from '../support/databases.js';
import { startSsoStack, type SsoStack } from '../support/sso-stack.js';

let stack: SsoStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

// The identity provider going away must cost new sign-ins only: who is signed in, and every token, keeps working.
describe('the identity provider goes away', () => {
  it('existing sessions and bearer tokens keep working (also past the provider re-check); a new sign-in gets a clear error', async () => {
    stack = await startSsoStack();
    const s = stack;
    const agent = s.agent();
    await s.signIn(agent, 'alice');
    const host = new URL(s.base).host;
    const origin = { origin: s.base, 'x-requested-with': 'gatehouse' };
    const bot = await agent.request(`${s.base}/api/v1/bots`, { method: 'POST', json: { name: 'outage-bot' }, headers: origin });
    expect(bot.status).toBe(201);
    const botUserId = ((await bot.json()) as { botUser: { id: string } }).botUser.id;
    const generated = await agent.request(`${s.base}/api/v1/users/generateToken/${botUserId}`, { method: 'PUT', json: { JWTTokenExpiry: '7' }, headers: origin });
    const botToken = ((await generated.json()) as { JWTToken: string }).JWTToken;
    expect(agent.cookie(host, 'gatehouse_session')).toBeTypeOf('string');

    await s.idp.close();

    const me = () => agent.request(`${s.base}/api/v1/users/loggedInUser`);
    const asBot = () => fetch(`${s.base}/api/v1/users/loggedInUser`, { headers: { authorization: `Bearer ${botToken}` } });
    expect((await me()).status).toBe(200);
    expect((await asBot()).status).toBe(200);
    // Past sessions.providerRecheckSeconds the session asks the provider again; no answer is not a refusal.
    s.t.clock.advance((s.t.gatehouse.appDeps.config.sessions.providerRecheckSeconds + 60) * 1000);
    expect((await me()).status).toBe(200);
    expect((await asBot()).status).toBe(200);

    // A fresh instance (nothing discovered yet, as after a restart) cannot start a sign-in: it says why, not 500.
    const handle = await freshDatabase('sqlite');
    const fresh = await createGatehouse({ config: s.t.gatehouse.appDeps.config, handle, clock: s.t.clock });
    await fresh.prepare();
    const app = await buildApp(fresh.appDeps);
    try {
      const start = await app.inject({ method: 'GET', url: '/api/v1/auth/login' });
      expect(start.statusCode).toBeLessThan(400);
      const to = new URL(start.headers.location ?? '', s.base);
      expect([to.pathname, to.searchParams.get('error')]).toEqual(['/signin', 'SSO_PROVIDER_UNAVAILABLE']);
      expect(catalogue.SSO_PROVIDER_UNAVAILABLE.message).toMatch(/provider/i);
    } finally {
      await app.close();
      await fresh.close();
      await handle.dispose();
    }
  }, 60_000);
});
