import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { problems } from './validate.js';

describe.each(ENGINES)('OpenMetadata UI calls around users and bots on %s', (engine) => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startTestApp({ AUTHORIZER_ADMIN_PRINCIPALS: '[admin]', OM_MAX_FAILED_LOGIN_ATTEMPTS: '4', OM_LOGIN_ACCESS_BLOCK_TIME: '300' }, { engine });
    admin = await t.adminToken();
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  it('publishes the login policy and an empty theme without a token', async () => {
    const login = await t.call({ method: 'GET', url: '/api/v1/system/config/loginConfig' });
    expect(login.json()).toEqual({ maxLoginFailAttempts: 4, accessBlockTime: 300, jwtTokenExpiryTime: 3600 });
    const theme = await t.call({ method: 'GET', url: '/api/v1/system/config/customUiThemePreference' });
    expect([theme.statusCode, theme.json()]).toEqual([200, { customLogoConfig: {}, customTheme: {} }]);
  });

  it('checks whether an e-mail is in use (both forms), for user viewers only', async () => {
    await t.call({ method: 'PUT', url: '/api/v1/users', token: admin, payload: { name: 'eve', email: 'eve@example.com' } });
    expect((await t.call({ method: 'GET', url: '/api/v1/users/checkEmailInUse/EVE@example.com', token: admin })).json()).toBe(true);
    expect((await t.call({ method: 'POST', url: '/api/v1/users/checkEmailInUse', token: admin, payload: { email: 'nobody@example.com' } })).json()).toBe(false);
    expect((await t.call({ method: 'GET', url: '/api/v1/users/checkEmailInUse/eve@example.com' })).statusCode).toBe(401);
  });

  it("reads a bot's auth mechanism without ever returning the token again; people have none", async () => {
    const bot = (await t.call({ method: 'GET', url: '/api/v1/bots/name/ingestion-bot', token: admin })).json();
    const before = (await t.call({ method: 'GET', url: `/api/v1/users/auth-mechanism/${bot.botUser.id}`, token: admin })).json();
    expect(before).toEqual({ authType: 'JWT', config: {} });
    const made = (await t.call({ method: 'PUT', url: `/api/v1/users/generateToken/${bot.botUser.id}`, token: admin, payload: { JWTTokenExpiry: '7' } })).json();
    const after = await t.call({ method: 'GET', url: `/api/v1/users/auth-mechanism/${bot.botUser.id}`, token: admin });
    expect(after.json()).toEqual({ authType: 'JWT', config: { JWTTokenExpiresAt: made.JWTTokenExpiresAt } });
    expect(after.body).not.toContain(made.JWTToken);
    const me = (await t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', token: admin })).json();
    expect((await t.call({ method: 'GET', url: `/api/v1/users/auth-mechanism/${me.id}`, token: admin })).json().code).toBe('TOKEN_BOTS_ONLY');
  });

  it("without AUTHORIZER_PRINCIPAL_DOMAIN a user without e-mail gets OpenMetadata's default domain in the User shape", async () => {
    const made = (await t.call({ method: 'PUT', url: '/api/v1/users', token: admin, payload: { name: 'quiet' } })).json();
    expect(made.email).toBe('quiet@open-metadata.org');
    expect(problems('user.json', made)).toEqual([]);
  });
});

describe.each(ENGINES)('personal access tokens through their OpenMetadata calls on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ AUTHORIZER_ADMIN_PRINCIPALS: '[admin]' }, { engine });
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  it('answers with tokenName, jwtToken and expiryDate, lists by ?username for admins, and revokes all with removeAll', async () => {
    const admin = await t.adminToken();
    const frank = await t.userToken('frank');
    const made = (await t.call({ method: 'PUT', url: '/api/v1/users/security/token', token: frank.token, payload: { tokenName: 'cli', JWTTokenExpiry: '30' } })).json();
    expect(made).toMatchObject({ tokenName: 'cli', jwtToken: made.JWTToken, expiryDate: t.clock.now() + 30 * 86_400_000 });
    await t.call({ method: 'PUT', url: '/api/v1/users/security/token', token: frank.token, payload: { tokenName: 'ci', JWTTokenExpiry: 'Unlimited' } });
    const listed = (await t.call({ method: 'GET', url: '/api/v1/users/security/token?username=frank', token: admin })).json();
    expect(listed.data.map((x: { name: string }) => x.name).sort()).toEqual(['ci', 'cli']);
    const other = await t.userToken('gail');
    expect((await t.call({ method: 'GET', url: '/api/v1/users/security/token?username=frank', token: other.token })).statusCode).toBe(403);
    const all = await t.call({ method: 'PUT', url: '/api/v1/users/security/token/revoke?removeAll=true', token: frank.token, payload: {} });
    expect(all.json().revoked).toHaveLength(2);
    expect((await t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', token: made.JWTToken })).statusCode).toBe(401);
    expect((await t.call({ method: 'PUT', url: '/api/v1/users/security/token/revoke', token: frank.token, payload: {} })).statusCode).toBe(400);
  });
});
