import { afterEach, describe, expect, it } from 'vitest';
import { SKIP_POSTGRES } from '../support/databases.js';
import { secondInstance, type SecondInstance } from '../support/second-instance.js';
import { startTestApp } from '../support/test-app.js';

interface UserOut { isAdmin: boolean; roles: { name: string }[] }

/** Polls instance A until `check` holds for its answer or a second has passed; returns the last answer's verdict. */
async function withinASecond(run: () => Promise<{ statusCode: number; body: string }>, check: (r: { statusCode: number; body: string }) => boolean): Promise<boolean> {
  const deadline = Date.now() + 1000;
  for (;;) {
    const ok = check(await run());
    if (ok || Date.now() > deadline) return ok;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(SKIP_POSTGRES)('on PostgreSQL, a change on instance B reaches the principal and the view instance A has cached', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('roles, admin flag, a role\'s permissions, token revocation, deactivation', async () => {
    const a = await startTestApp({}, { engine: 'postgres' });
    cleanups.push(() => a.close());
    const b: SecondInstance = await secondInstance(a);
    cleanups.push(() => b.close());
    const admin = await a.adminToken();
    const dave = await a.userToken('dave');
    const onB = (method: 'PATCH' | 'PUT' | 'POST', url: string, payload: Record<string, unknown>, token = admin) =>
      b.app.inject({ method, url, payload, headers: { authorization: `Bearer ${token}` } });
    const meOnA = (token = dave.token) => a.call({ method: 'GET', url: '/api/v1/users/loggedInUser', token });
    const listOnA = () => a.call({ method: 'GET', url: '/api/v1/users', token: dave.token });
    const view = (r: { body: string }) => JSON.parse(r.body) as UserOut;

    expect(view(await meOnA()).roles).toEqual([]);
    expect((await listOnA()).statusCode).toBe(403); // principal and view cached on A

    expect((await onB('PATCH', `/api/v1/users/${dave.id}`, { roles: ['DataSteward'] })).statusCode).toBe(200);
    expect(await withinASecond(meOnA, (r) => view(r).roles.some((x) => x.name === 'DataSteward'))).toBe(true);
    expect(await withinASecond(listOnA, (r) => r.statusCode === 200)).toBe(true);

    expect((await onB('PATCH', `/api/v1/users/${dave.id}`, { roles: [], isAdmin: true })).statusCode).toBe(200);
    expect(await withinASecond(meOnA, (r) => view(r).isAdmin && view(r).roles.length === 0)).toBe(true);
    expect((await onB('PATCH', `/api/v1/users/${dave.id}`, { isAdmin: false })).statusCode).toBe(200);
    expect(await withinASecond(listOnA, (r) => r.statusCode === 403)).toBe(true);

    const role = JSON.parse((await onB('POST', '/api/v1/roles', { name: 'Auditor', permissions: ['entity:view'] })).body) as { id: string };
    expect((await onB('PATCH', `/api/v1/users/${dave.id}`, { roles: ['Auditor'] })).statusCode).toBe(200);
    expect(await withinASecond(meOnA, (r) => view(r).roles.some((x) => x.name === 'Auditor'))).toBe(true);
    expect((await listOnA()).statusCode).toBe(403);
    expect((await onB('PATCH', `/api/v1/roles/${role.id}`, { permissions: ['entity:view', 'user:view'] })).statusCode).toBe(200);
    expect(await withinASecond(listOnA, (r) => r.statusCode === 200)).toBe(true);

    const pat = JSON.parse((await a.call({ method: 'PUT', url: '/api/v1/users/security/token', token: dave.token, payload: { tokenName: 'ci', JWTTokenExpiry: '7' } })).body) as { id: string; JWTToken: string };
    expect((await meOnA(pat.JWTToken)).statusCode).toBe(200);
    expect((await onB('PUT', '/api/v1/users/security/token/revoke', { tokenIds: [pat.id] }, dave.token)).statusCode).toBe(200);
    expect(await withinASecond(() => meOnA(pat.JWTToken), (r) => r.statusCode === 401)).toBe(true);

    expect((await onB('PATCH', `/api/v1/users/${dave.id}`, { disabled: true })).statusCode).toBe(200);
    expect(await withinASecond(meOnA, (r) => r.statusCode === 401)).toBe(true);
  });

  it("a role's and a bot's soft delete and restore (OpenMetadata's DELETE / PUT restore)", async () => {
    const a = await startTestApp({}, { engine: 'postgres' });
    cleanups.push(() => a.close());
    const b: SecondInstance = await secondInstance(a);
    cleanups.push(() => b.close());
    const admin = await a.adminToken();
    const onB = (method: 'DELETE' | 'PUT', url: string, payload?: Record<string, unknown>) =>
      b.app.inject({ method, url, ...(payload ? { payload } : {}), headers: { authorization: `Bearer ${admin}` } });
    const role = (await a.call({ method: 'POST', url: '/api/v1/roles', token: admin, payload: { name: 'Lister', permissions: ['user:view'] } })).json<{ id: string }>();
    const lee = await a.userToken('lee', { roles: ['Lister'] });
    const listOnA = () => a.call({ method: 'GET', url: '/api/v1/users', token: lee.token });
    expect((await listOnA()).statusCode).toBe(200); // principal cached on A with the role's permission

    expect((await onB('DELETE', `/api/v1/roles/${role.id}`)).statusCode).toBe(200);
    expect(await withinASecond(listOnA, (r) => r.statusCode === 403)).toBe(true);
    expect((await onB('PUT', '/api/v1/roles/restore', { id: role.id })).statusCode).toBe(200);
    expect(await withinASecond(listOnA, (r) => r.statusCode === 200)).toBe(true);

    const bot = (await a.call({ method: 'PUT', url: '/api/v1/bots', token: admin, payload: { name: 'etl-bot' } })).json<{ id: string; botUser: { id: string } }>();
    const made = (await a.call({ method: 'PUT', url: `/api/v1/users/generateToken/${bot.botUser.id}`, token: admin, payload: { JWTTokenExpiry: '7' } })).json<{ JWTToken: string }>();
    const botOnA = () => a.call({ method: 'GET', url: '/api/v1/users/loggedInUser', token: made.JWTToken });
    expect((await botOnA()).statusCode).toBe(200); // verified token cached on A
    expect((await onB('DELETE', `/api/v1/bots/${bot.id}`)).statusCode).toBe(200);
    expect(await withinASecond(botOnA, (r) => r.statusCode === 401)).toBe(true);
    expect((await onB('PUT', '/api/v1/bots/restore', { id: bot.id })).statusCode).toBe(200);
    expect(await withinASecond(botOnA, (r) => r.statusCode === 200)).toBe(true);
  });
});
