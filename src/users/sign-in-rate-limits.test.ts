import { describe, expect, it } from 'vitest';
import { GatehouseError } from '../errors/index.js';
import { frozenClock } from '../shared/index.js';
import { createSignInRateLimits } from './sign-in-rate-limits.js';

const refusal = (fn: () => void): { detail: string | undefined; retryAfter: unknown } => {
  try {
    fn();
  } catch (error) {
    if (error instanceof GatehouseError && error.code === 'AUTH_SIGN_IN_RATE_LIMITED') return { detail: error.detail, retryAfter: error.internal?.['retryAfterSeconds'] };
    throw error;
  }
  throw new Error('expected AUTH_SIGN_IN_RATE_LIMITED');
};

describe('sign-in rate limits', () => {
  it('per address: a burst of the limit, then one per 60/limit seconds, with the exact wait as Retry-After', () => {
    const clock = frozenClock();
    const limits = createSignInRateLimits({ perIpPerMinute: 6, perAccountPerMinute: 0, clock });
    for (let i = 0; i < 6; i++) limits.take('10.0.0.1', `user-${i}`);
    expect(refusal(() => limits.take('10.0.0.1', 'other'))).toEqual({ detail: 'Too many sign-ins from your address.', retryAfter: 10 });
    // Another address is not affected.
    limits.take('10.0.0.2', 'other');
    clock.advance(9_000);
    expect(refusal(() => limits.take('10.0.0.1', 'other')).retryAfter).toBe(1);
    clock.advance(1_000);
    limits.take('10.0.0.1', 'other');
    expect(refusal(() => limits.take('10.0.0.1', 'other')).retryAfter).toBe(10);
  });

  it('per account, whatever the address; a refusal by one limit takes nothing from the other', () => {
    const clock = frozenClock();
    const limits = createSignInRateLimits({ perIpPerMinute: 3, perAccountPerMinute: 2, clock });
    limits.take('10.0.0.1', 'alice');
    limits.take('10.0.0.2', 'alice');
    expect(refusal(() => limits.take('10.0.0.3', 'alice'))).toEqual({ detail: 'Too many sign-ins for this account.', retryAfter: 30 });
    // 10.0.0.3 was refused for the account's sake: its own allowance is whole.
    limits.take('10.0.0.3', 'bob');
    limits.take('10.0.0.3', 'carol');
    limits.take('10.0.0.3', 'dave');
    expect(refusal(() => limits.take('10.0.0.3', 'erin')).detail).toBe('Too many sign-ins from your address.');
    clock.advance(30_000);
    limits.take('10.0.0.4', 'alice');
  });

  it('0 turns a limit off; forgotten keys start full, and the number of keys kept is bounded', () => {
    const clock = frozenClock();
    const off = createSignInRateLimits({ perIpPerMinute: 0, perAccountPerMinute: 0, clock });
    for (let i = 0; i < 1000; i++) off.take('10.0.0.1', 'alice');
    const small = createSignInRateLimits({ perIpPerMinute: 1, perAccountPerMinute: 0, clock, maxKeys: 2 });
    small.take('a', 'x');
    small.take('b', 'x');
    expect(refusal(() => small.take('a', 'x')).retryAfter).toBe(60);
    small.take('c', 'x'); // evicts the least recently seen ('b'), not 'a'
    expect(refusal(() => small.take('a', 'x')).retryAfter).toBe(60);
    small.take('b', 'x');
  });
});
