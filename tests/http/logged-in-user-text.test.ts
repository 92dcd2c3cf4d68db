import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

// loggedInUser answers text serialized once per cached view and shape (http/serialized-views.ts): these pin that the
// text is what the route's schema makes (the same bytes as GET /users/:id) and that it follows every change at once.
describe('loggedInUser from pre-serialized text', () => {
  const apps: TestApp[] = [];
  afterEach(async () => {
    for (const t of apps.splice(0)) await t.close();
  });

  it('is byte for byte the schema-serialized user, per shape, and changes with roles and the display name', async () => {
    const t = await startTestApp();
    apps.push(t);
    const admin = await t.adminToken();
    const erin = await t.userToken('erin');
    const me = (query: string) => t.call({ method: 'GET', url: `/api/v1/users/loggedInUser${query}`, token: erin.token });
    const byId = (query: string) => t.call({ method: 'GET', url: `/api/v1/users/${erin.id}${query}`, token: admin });
    const expectSame = async (): Promise<void> => {
      for (const query of ['', '?fields=gatehouse']) {
        const first = await me(query);
        expect(first.statusCode).toBe(200);
        expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
        expect((await me(query)).body).toBe(first.body); // the second answer comes from the stored text
        expect(first.body).toBe((await byId(query)).body);
      }
    };

    await expectSame();
    expect((await me('')).json<{ roleGrants?: unknown }>().roleGrants).toBeUndefined();
    expect((await me('?fields=gatehouse')).json<{ roleGrants: unknown[] }>().roleGrants).toEqual([]);

    const patch = (payload: Record<string, unknown>) => t.call({ method: 'PATCH', url: `/api/v1/users/${erin.id}`, token: admin, payload });
    expect((await patch({ roles: ['DataSteward'] })).statusCode).toBe(200);
    expect((await me('')).json<{ roles: { name: string }[] }>().roles.map((r) => r.name)).toEqual(['DataSteward']);
    expect((await me('?fields=gatehouse')).json<{ roleGrants: { name: string }[] }>().roleGrants.map((r) => r.name)).toEqual(['DataSteward']);
    await expectSame();

    expect((await patch({ displayName: 'Erin Example' })).statusCode).toBe(200);
    expect((await me('')).json<{ displayName?: string }>().displayName).toBe('Erin Example');
    await expectSame();

    expect((await patch({ roles: [] })).statusCode).toBe(200);
    expect((await me('?fields=gatehouse')).json<{ roleGrants: unknown[] }>().roleGrants).toEqual([]);
    await expectSame();
  });
});
