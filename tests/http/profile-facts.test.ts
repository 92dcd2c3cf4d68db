import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('"who am I" says why someone is an administrator', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => {
    await t.close();
  });
  const me = async (token: string) => (await t.call({ method: 'GET', url: '/api/v1/users/loggedInUser?fields=gatehouse', token })).json<{ isAdmin: boolean; adminReason?: string }>();

  it('names the rule: the listed principal, an administrator\'s grant, none for everyone else', async () => {
    const admin = await t.adminToken();
    expect(await me(admin)).toMatchObject({ isAdmin: true, adminReason: 'admin-principals' });
    const carol = await t.userToken('carol');
    const before = await me(carol.token);
    expect(before.isAdmin).toBe(false);
    expect(before).not.toHaveProperty('adminReason');
    const granted = await t.call({ method: 'PATCH', url: `/api/v1/users/${carol.id}`, token: admin, payload: { isAdmin: true } });
    expect(granted.json()).toMatchObject({ isAdmin: true }); // OpenMetadata's shape; Gatehouse's fields come with fields=gatehouse
    expect(await me(carol.token)).toMatchObject({ isAdmin: true, adminReason: 'granted' });
  });
});
