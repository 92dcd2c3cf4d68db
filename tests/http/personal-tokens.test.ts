import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('personal access tokens', () => {
  let t: TestApp;
  let admin: string;
  beforeEach(async () => {
    t = await startTestApp();
    admin = await t.adminToken();
  });
  afterEach(async () => {
    await t.close();
  });
  const create = (token: string, payload: Record<string, unknown>) => t.call({ method: 'PUT', url: '/api/v1/users/security/token', token, payload });

  it('creates, lists (never showing the token again), records last use, and revokes at once', async () => {
    const user = await t.userToken('ivy', { roles: ['DataSteward'] });
    const created = await create(user.token, { tokenName: 'laptop', JWTTokenExpiry: '30' });
    expect(created.statusCode).toBe(200);
    const pat = created.json();
    expect(pat).toMatchObject({ name: 'laptop', JWTTokenExpiry: '30', scopes: null });
    expect((await t.call({ method: 'GET', url: '/api/v1/users', token: pat.JWTToken })).statusCode).toBe(200);
    const list = await t.call({ method: 'GET', url: '/api/v1/users/security/token', token: user.token });
    expect(list.json().data).toEqual([expect.objectContaining({ id: pat.id, name: 'laptop', kind: 'PERSONAL_ACCESS', revoked: false })]);
    expect(list.json().data[0].lastUsedAt).not.toBeNull();
    expect(list.body).not.toContain(pat.JWTToken);
    const revoke = await t.call({ method: 'PUT', url: '/api/v1/users/security/token/revoke', token: user.token, payload: { tokenIds: [pat.id] } });
    expect(revoke.json()).toEqual({ revoked: [pat.id] });
    const after = await t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', token: pat.JWTToken });
    expect([after.statusCode, after.json().code]).toEqual([401, 'AUTH_TOKEN_REVOKED']);
  });

  it('limits a read-only token to reading, even for an administrator', async () => {
    const ro = (await create(admin, { tokenName: 'reports', JWTTokenExpiry: '7', scopes: ['read-only'] })).json();
    expect(ro.scopes).toEqual(['entity:view', 'user:view']);
    expect((await t.call({ method: 'GET', url: '/api/v1/users', token: ro.JWTToken })).statusCode).toBe(200);
    const write = await t.call({ method: 'POST', url: '/api/v1/users', token: ro.JWTToken, payload: { name: 'zed' } });
    expect([write.statusCode, write.json().code]).toEqual([403, 'FORBIDDEN']);
    expect((await t.call({ method: 'GET', url: '/api/v1/audit', token: ro.JWTToken })).statusCode).toBe(403);
    const mint = await create(ro.JWTToken, { tokenName: 'escalate', JWTTokenExpiry: '7' });
    expect(mint.statusCode).toBe(403);
    expect((await create(admin, { tokenName: 'x', JWTTokenExpiry: '7', scopes: ['root'] })).statusCode).toBe(400);
  });

  it('dies with its user (disabled or deleted), and bots cannot have one', async () => {
    const user = await t.userToken('jack');
    const pat = (await create(user.token, { tokenName: 'ci', JWTTokenExpiry: 'Unlimited' })).json();
    expect((await t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', token: pat.JWTToken })).statusCode).toBe(200);
    await t.call({ method: 'PATCH', url: `/api/v1/users/${user.id}`, token: admin, payload: { disabled: true } });
    expect((await t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', token: pat.JWTToken })).statusCode).toBe(401);
    await t.call({ method: 'PATCH', url: `/api/v1/users/${user.id}`, token: admin, payload: { disabled: false } });
    // Disabling revoked it for good: re-enabling the user does not bring old tokens back.
    expect((await t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', token: pat.JWTToken })).statusCode).toBe(401);
    const bot = (await t.call({ method: 'POST', url: '/api/v1/bots', token: admin, payload: { name: 'b1' } })).json();
    const botTok = (await t.call({ method: 'PUT', url: `/api/v1/users/generateToken/${bot.botUser.id}`, token: admin, payload: { JWTTokenExpiry: '1' } })).json().JWTToken;
    const botPat = await create(botTok, { tokenName: 'nope', JWTTokenExpiry: '1' });
    expect(botPat.statusCode).toBe(403);
  });

  it('lets administrators list and revoke other users\' tokens, and nobody else', async () => {
    const kim = await t.userToken('kim');
    const lee = await t.userToken('lee');
    const pat = (await create(kim.token, { tokenName: 'k', JWTTokenExpiry: '7' })).json();
    expect((await t.call({ method: 'GET', url: `/api/v1/users/security/token?userId=${kim.id}`, token: lee.token })).statusCode).toBe(403);
    const steal = await t.call({ method: 'PUT', url: '/api/v1/users/security/token/revoke', token: lee.token, payload: { tokenIds: [pat.id] } });
    expect(steal.json().revoked).toEqual([]);
    expect((await t.call({ method: 'GET', url: `/api/v1/users/security/token?userId=${kim.id}`, token: admin })).json().data).toHaveLength(1);
    expect((await t.call({ method: 'PUT', url: '/api/v1/users/security/token/revoke', token: admin, payload: { tokenIds: [pat.id], userId: kim.id } })).json().revoked).toEqual([pat.id]);
  });
});
