import { afterEach, describe, expect, it } from 'vitest';
import { ARGON2_ENGINE, type PasswordEngine } from '../../src/crypto/index.js';
import { createLoginAttemptStore } from '../../src/storage/index.js';
import { startTestApp, type TestApp, USER_PASSWORD } from '../support/test-app.js';

/** argon2id, except that while `hold` is on every check waits until the test lets it go. */
function holdableEngine() {
  const held: Array<() => void> = [];
  const state = { hold: false };
  const gate = async <T>(work: () => Promise<T>): Promise<T> => {
    if (state.hold) await new Promise<void>((resolve) => held.push(resolve));
    return work();
  };
  const engine: PasswordEngine = {
    hash: (p) => gate(() => ARGON2_ENGINE.hash(p)),
    verify: (h, p) => gate(() => ARGON2_ENGINE.verify(h, p)),
    verifyAgainstDummy: (p) => gate(() => ARGON2_ENGINE.verifyAgainstDummy(p)),
  };
  return {
    engine, state,
    releaseAll() {
      state.hold = false;
      for (const go of held.splice(0)) go();
    },
  };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}

describe('sign-in storms over HTTP', () => {
  let t: TestApp;
  afterEach(async () => {
    await t.close();
  });

  it('20 parallel correct sign-ins of one account: each is a success or a 429 with Retry-After, never "invalid credentials"', async () => {
    t = await startTestApp();
    await t.userToken('storm');
    const answers = await Promise.all(Array.from({ length: 20 }, () => t.login('storm', USER_PASSWORD)));
    const statuses = answers.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 401)).toEqual([]);
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
    for (const refused of answers.filter((r) => r.statusCode === 429)) {
      expect(refused.json().code).toBe('AUTH_SIGN_IN_RATE_LIMITED');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    // Nothing was counted against the account: it is not locked and the next sign-in works.
    expect((await t.login('storm', USER_PASSWORD)).statusCode).toBe(200);
  });

  it('a full hashing queue answers 503 with Retry-After at once, counts nothing, and the queued sign-ins then succeed', async () => {
    const held = holdableEngine();
    t = await startTestApp({ GATEHOUSE_PASSWORD_HASH_CONCURRENCY: '1', GATEHOUSE_PASSWORD_HASH_QUEUE: '2' }, { passwordEngine: held.engine });
    await t.userToken('a');
    await t.userToken('b');
    await t.userToken('c');
    held.state.hold = true;
    const load = () => t.gatehouse.appDeps.basicSignIn.hashingLoad();
    const first = t.login('a', USER_PASSWORD);
    await until(() => load().active === 1);
    const queued = [t.login('b', USER_PASSWORD), t.login('c', USER_PASSWORD)];
    await until(() => load().waiting === 2);
    const refused = await t.login('a', USER_PASSWORD);
    expect(refused.statusCode).toBe(503);
    expect(refused.json().code).toBe('AUTH_SIGN_IN_BUSY');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Only the check in flight is counted for 'a': the refused one never reached the counter.
    expect(await createLoginAttemptStore(t.handle.db).get('a')).toEqual({ failures: 1, lockedUntil: null });
    held.releaseAll();
    expect((await Promise.all([first, ...queued])).map((r) => r.statusCode)).toEqual([200, 200, 200]);
    expect(load()).toEqual({ active: 0, waiting: 0 });
  });

  it('per-address and per-account limits answer 429 with the wait (frozen clock) before any password is checked', async () => {
    t = await startTestApp({ GATEHOUSE_LOGIN_RATE_LIMIT_PER_IP: '4', GATEHOUSE_LOGIN_RATE_LIMIT_PER_ACCOUNT: '2' });
    const from = (ip: string, name: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/users/login', remoteAddress: ip, payload: { username: name, password: 'x-wrong-pass', passwordEncoding: 'plain' } });
    expect((await from('10.0.0.1', 'nobody')).statusCode).toBe(401);
    expect((await from('10.0.0.2', 'nobody')).statusCode).toBe(401);
    const account = await from('10.0.0.3', 'nobody');
    expect([account.statusCode, account.json().code, account.headers['retry-after']]).toEqual([429, 'AUTH_SIGN_IN_RATE_LIMITED', '30']);
    expect(account.json().detail).toBe('Too many sign-ins for this account.');
    for (const name of ['p', 'q', 'r']) expect((await from('10.0.0.1', name)).statusCode).toBe(401);
    const address = await from('10.0.0.1', 's');
    expect([address.statusCode, address.headers['retry-after']]).toEqual([429, '15']);
    // Refused attempts were never judged: only the 5 401s were audited.
    expect((await t.gatehouse.services.audit.list({ type: 'auth.login', limit: 50, offset: 0 })).total).toBe(5);
    t.clock.advance(15_000);
    expect((await from('10.0.0.1', 's')).statusCode).toBe(401);
  });

  it('parallel wrong passwords from many addresses still judge at most maxLoginFailAttempts, then the lock answers 401', async () => {
    t = await startTestApp({ GATEHOUSE_LOGIN_RATE_LIMIT_PER_IP: '0', GATEHOUSE_LOGIN_RATE_LIMIT_PER_ACCOUNT: '0' });
    await t.userToken('target');
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) =>
      t.app.inject({ method: 'POST', url: '/api/v1/users/login', remoteAddress: `10.1.0.${i}`, payload: { username: 'target', password: `guess-${i}-xyz`, passwordEncoding: 'plain' } })));
    expect(answers.every((r) => r.statusCode === 401 || r.statusCode === 429)).toBe(true);
    const reasons = (await t.gatehouse.services.audit.list({ type: 'auth.login', limit: 100, offset: 0 })).data.map((e) => e.details?.['reason']);
    expect(reasons.filter((r) => r === 'wrong-password')).toHaveLength(3);
    expect((await t.gatehouse.services.audit.list({ type: 'auth.lockout', limit: 10, offset: 0 })).total).toBe(1);
    // Locked: even the right password gets the ordinary 401 until the block time has passed.
    expect((await t.login('target', USER_PASSWORD)).statusCode).toBe(401);
    t.clock.advance(600_000);
    expect((await t.login('target', USER_PASSWORD)).statusCode).toBe(200);
  });
});
