import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, USER_PASSWORD } from '../support/test-app.js';

describe('sign-in storms over HTTP', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('20 parallel correct sign-ins of one account: each is a success or a 429 with Retry-After, never "invalid credentials"', async () => {
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
});
