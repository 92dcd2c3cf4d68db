import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from './memory-adapter.js';

describe('createMemoryStorage', () => {
  it('forgets entries when they expire, and sweeps expired ones on later writes', async () => {
    let now = 1_000_000;
    const storage = createMemoryStorage(() => now);
    const codes = storage.adapter('AuthorizationCode');
    await codes.upsert('c1', { jti: 'c1' }, 60);
    await codes.upsert('forever', { jti: 'forever' });
    expect(await codes.find('c1')).toEqual({ jti: 'c1' });
    now += 60_000;
    expect(await codes.find('c1')).toBeUndefined();
    for (let i = 0; i < 5; i++) await codes.upsert(`short${i}`, { jti: `short${i}` }, 1);
    now += 2000;
    for (let i = 0; i < 200; i++) await codes.upsert(`n${i}`, { jti: `n${i}` }, 3600);
    // The five short-lived entries were swept without being read.
    expect(storage.size()).toBe(201);
    expect(await codes.find('forever')).toEqual({ jti: 'forever' });
  });

  it('revokes every token of a grant and nothing else; consume marks, destroy removes', async () => {
    const storage = createMemoryStorage();
    const access = storage.adapter('AccessToken');
    const refresh = storage.adapter('RefreshToken');
    await access.upsert('a1', { grantId: 'g1' }, 60);
    await refresh.upsert('r1', { grantId: 'g1' }, 60);
    await refresh.upsert('r2', { grantId: 'g2' }, 60);
    await refresh.consume('r2');
    expect((await refresh.find('r2'))?.consumed).toEqual(expect.any(Number));
    await access.revokeByGrantId('g1');
    expect(await access.find('a1')).toBeUndefined();
    expect(await refresh.find('r1')).toBeUndefined();
    expect(await refresh.find('r2')).toBeDefined();
    await refresh.destroy('r2');
    expect(await refresh.find('r2')).toBeUndefined();
  });

  it('finds sessions by uid, keeps models apart, and clear() empties everything', async () => {
    const storage = createMemoryStorage();
    const sessions = storage.adapter('Session');
    await sessions.upsert('s1', { uid: 'u1', accountId: 'alice' }, 600);
    expect(await sessions.findByUid('u1')).toMatchObject({ accountId: 'alice' });
    expect(await storage.adapter('Grant').find('s1')).toBeUndefined();
    await sessions.upsert('s1', { uid: 'u2', accountId: 'alice' }, 600);
    expect(await sessions.findByUid('u1')).toBeUndefined();
    storage.clear();
    expect(await sessions.findByUid('u2')).toBeUndefined();
    expect(storage.size()).toBe(0);
  });
});
