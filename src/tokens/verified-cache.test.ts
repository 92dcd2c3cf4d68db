import { describe, expect, it } from 'vitest';
import type { Principal } from '../authz/index.js';
import { createVerifiedCache, type CachedVerification } from './verified-cache.js';

const entry = (userId: string, jti: string, until = 1000, signInId: string | null = null): CachedVerification => ({
  userId, jti, signInId, method: 'bot-token', scopes: null, until, principal: { name: userId } as unknown as Principal, marker: undefined,
});

describe('verified-token cache', () => {
  it('never serves an entry at or after its until time', () => {
    const cache = createVerifiedCache();
    cache.set('h', entry('u', 'j', 1000));
    expect(cache.get('h', 999)?.jti).toBe('j');
    expect(cache.get('h', 1000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('evicts the least recently used entry when full', () => {
    const cache = createVerifiedCache(3);
    cache.set('a', entry('u', 'a'));
    cache.set('b', entry('u', 'b'));
    cache.set('c', entry('u', 'c'));
    cache.get('a', 0); // a is now the most recently used
    cache.set('d', entry('u', 'd'));
    expect(['a', 'b', 'c', 'd'].filter((h) => cache.get(h, 0))).toEqual(['a', 'c', 'd']);
    cache.set('d', entry('u', 'd2')); // replacing does not grow the cache
    expect(cache.size).toBe(3);
  });

  it('invalidates by token id, by user, or everything', () => {
    const cache = createVerifiedCache();
    cache.set('1', entry('ann', 'j1'));
    cache.set('2', entry('ann', 'j2'));
    cache.set('3', entry('bob', 'j3'));
    cache.invalidateToken('j1');
    expect(cache.get('1', 0)).toBeUndefined();
    cache.invalidateUser('ann');
    expect([cache.get('2', 0), cache.get('3', 0)?.jti]).toEqual([undefined, 'j3']);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('invalidates the tokens of one ended sign-in, and a verification that started before the end', () => {
    const cache = createVerifiedCache();
    cache.set('1', entry('ann', 'j1', 1000, 's1'));
    cache.set('2', entry('ann', 'j2', 1000, 's1'));
    cache.set('3', entry('ann', 'j3', 1000, 's2'));
    const before = cache.generation();
    cache.invalidateSignIn('s1');
    expect([cache.get('1', 0), cache.get('2', 0), cache.get('3', 0)?.jti]).toEqual([undefined, undefined, 'j3']);
    cache.set('4', entry('ann', 'j4', 1000, 's1'), before);
    expect(cache.get('4', 0)).toBeUndefined();
  });

  it('drops a verification that started before an invalidation (it may have read a since-revoked record)', () => {
    const cache = createVerifiedCache();
    const before = cache.generation();
    cache.invalidateToken('whatever');
    cache.set('h', entry('u', 'j'), before);
    expect(cache.get('h', 0)).toBeUndefined();
    cache.set('h', entry('u', 'j'), cache.generation());
    expect(cache.get('h', 0)?.jti).toBe('j');
  });
});
