import { describe, expect, it } from 'vitest';
import { GatehouseError } from '../errors/index.js';
import { createPasswordHasher, type PasswordEngine } from './password-hasher.js';

/** An engine whose every job waits until the test finishes it, so the queue's state is exact at each step. */
function heldEngine() {
  const pending: Array<() => void> = [];
  let started = 0;
  const hold = <T>(value: T) =>
    new Promise<T>((resolve) => {
      started += 1;
      pending.push(() => resolve(value));
    });
  const engine: PasswordEngine = {
    hash: (password) => hold(`hash:${password}`),
    verify: (hash, password) => hold(hash === `hash:${password}`),
    verifyAgainstDummy: () => hold(false as const),
  };
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return {
    engine,
    started: () => started,
    async finishOne() {
      pending.shift()?.();
      await settle();
    },
    settle,
  };
}

const busy = (fn: () => unknown): GatehouseError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof GatehouseError) return error;
  }
  throw new Error('expected AUTH_SIGN_IN_BUSY');
};

describe('password hasher queue', () => {
  it('runs at most `concurrency` jobs, queues `maxWaiting`, refuses the next at once with a Retry-After', async () => {
    const held = heldEngine();
    const hasher = createPasswordHasher({ concurrency: 2, maxWaiting: 3, engine: held.engine, initialEstimateMs: 1000 });
    const jobs = Array.from({ length: 5 }, (_, i) => hasher.verify('hash:p', i === 0 ? 'p' : 'x'));
    await held.settle();
    expect(held.started()).toBe(2);
    expect(hasher.load()).toEqual({ active: 2, waiting: 3 });
    const refused = busy(() => hasher.enter());
    expect(refused.code).toBe('AUTH_SIGN_IN_BUSY');
    expect(refused.status).toBe(503);
    // 5 jobs ahead of it, 2 at a time, about 1 s each: 3 s.
    expect(refused.internal?.['retryAfterSeconds']).toBe(3);
    await held.finishOne();
    expect(held.started()).toBe(3);
    expect(hasher.load()).toEqual({ active: 2, waiting: 2 });
    for (let i = 0; i < 4; i++) await held.finishOne();
    expect(await Promise.all(jobs)).toEqual([true, false, false, false, false]);
    expect(hasher.load()).toEqual({ active: 0, waiting: 0 });
  });

  it('a slot released before its turn leaves the queue; a second release changes nothing', async () => {
    const held = heldEngine();
    const hasher = createPasswordHasher({ concurrency: 1, maxWaiting: 1, engine: held.engine });
    const first = hasher.enter();
    const second = hasher.enter();
    expect(hasher.load()).toEqual({ active: 1, waiting: 1 });
    second.release();
    second.release();
    expect(hasher.load()).toEqual({ active: 1, waiting: 0 });
    const third = hasher.enter();
    first.release();
    first.release();
    expect(hasher.load()).toEqual({ active: 1, waiting: 0 });
    const hashed = third.hash('p');
    await held.settle();
    await held.finishOne();
    expect(await hashed).toBe('hash:p');
    third.release();
    expect(hasher.load()).toEqual({ active: 0, waiting: 0 });
  });

  it('a queue of 0 only admits callers a worker can take at once', () => {
    const hasher = createPasswordHasher({ concurrency: 1, maxWaiting: 0, engine: heldEngine().engine });
    hasher.enter();
    expect(busy(() => hasher.enter()).internal?.['retryAfterSeconds']).toBe(1);
  });
});

describe('password hasher under a busy event loop', () => {
  it('hands a freed slot on only after a pause while the loop is busy, at once otherwise', async () => {
    const pending: Array<() => void> = [];
    let started = 0;
    const engine: PasswordEngine = {
      hash: async () => 'h',
      verify: () => new Promise<boolean>((resolve) => { started += 1; pending.push(() => resolve(true)); }),
      verifyAgainstDummy: async () => false,
    };
    const state = { busy: true };
    const hasher = createPasswordHasher({ concurrency: 1, maxWaiting: 5, engine, initialEstimateMs: 40, loopBusy: () => state.busy });
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    const jobs = [hasher.verify('h', 'p'), hasher.verify('h', 'p'), hasher.verify('h', 'p')];
    await tick();
    expect(started).toBe(1);
    pending.shift()?.();
    await tick();
    await tick();
    // Busy: the second job waits out the pause (three hash durations, about 100 ms here) with its slot still counted.
    expect(started).toBe(1);
    expect(hasher.load()).toEqual({ active: 1, waiting: 2 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(started).toBe(2);
    state.busy = false;
    pending.shift()?.();
    await tick();
    await tick();
    expect(started).toBe(3);
    pending.shift()?.();
    expect(await Promise.all(jobs)).toEqual([true, true, true]);
  });
});
