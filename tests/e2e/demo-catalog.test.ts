import { request, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoGatewayEnv } from '../../src/cli/commands/start.js';
import { startSampleCatalog, type SampleCatalog } from '../../src/demo/index.js';
import { startSsoStack, type SsoStack } from '../support/sso-stack.js';

// `npm start` composes exactly this: the sample catalog, and Gatehouse with demoGatewayEnv() in front of it.
describe('the quick-start demo: sample catalog behind the built-in proxy', () => {
  let catalog: SampleCatalog;
  let stack: SsoStack;
  beforeAll(async () => {
    catalog = await startSampleCatalog();
    stack = await startSsoStack({ env: demoGatewayEnv(catalog.url) });
  });
  afterAll(async () => {
    await stack.close();
    await catalog.close();
  });

  it('sends a signed-out browser to sign-in and back, then greets the user with their roles', async () => {
    const agent = stack.agent();
    // A browser navigation, as browsers mark it (node:http: Node's fetch would replace Sec-Fetch-Mode with cors).
    const first = await new Promise<IncomingMessage>((resolve, reject) =>
      request(`${stack.base}/catalog/`, { headers: { accept: 'text/html', 'sec-fetch-mode': 'navigate' } }, resolve).on('error', reject).end(),
    );
    first.resume();
    expect(first.statusCode).toBe(302);
    expect(first.headers.location).toBe(`/signin?returnTo=${encodeURIComponent('/catalog/')}`);
    const signedIn = await stack.signIn(agent, 'alice', { returnTo: '/catalog/' });
    expect(new URL(signedIn.url).pathname).toBe('/catalog/');
    const html = await signedIn.response.text();
    expect(html).toContain('Hello, alice!');
    expect(html).toMatch(/Your roles: <strong>Admin, DataSteward<\/strong>/);
  });

  it('answers its API to a bot token, naming the bot', async () => {
    const agent = stack.agent();
    await stack.signIn(agent, 'alice');
    const csrf = { origin: stack.base, 'x-requested-with': 'gatehouse' };
    const bot = await agent.request(`${stack.base}/api/v1/bots`, { json: { name: 'catalog-reader' }, headers: csrf });
    expect(bot.status).toBe(201);
    const botUser = ((await bot.json()) as { botUser: { id: string } }).botUser.id;
    const issued = await agent.request(`${stack.base}/api/v1/users/generateToken/${botUser}`, { method: 'PUT', json: { JWTTokenExpiry: '7' }, headers: csrf });
    const token = ((await issued.json()) as { JWTToken: string }).JWTToken;
    const res = await fetch(`${stack.base}/catalog/api/tables`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: unknown[]; requestedBy: { user: string; method: string } };
    expect(body.data.length).toBeGreaterThan(0);
    expect(body.requestedBy).toMatchObject({ user: 'catalog-reader', method: 'bot' });
    // Without a token the API answers 401, not a sign-in page.
    expect((await fetch(`${stack.base}/catalog/api/tables`, { headers: { accept: 'application/json' } })).status).toBe(401);
  });
});
