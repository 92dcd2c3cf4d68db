import { describe, expect, it } from 'vitest';
import { planServices, probePostgres } from './support/test-services.js';

describe('npm test on a machine without PostgreSQL or Chromium', () => {
  it('a closed port is reported as one reason, not thrown as a connection error', async () => {
    const reason = await probePostgres('postgres://postgres:hunter2@127.0.0.1:1/test');
    expect(reason).toMatch(/^no PostgreSQL server answers at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/test \(ECONNREFUSED\)$/);
  });

  it('on a developer machine a missing service skips its tests with the command that enables them', () => {
    const plan = planServices(false, 'no PostgreSQL server answers at x', 'no Chromium at /nope');
    expect(plan.failure).toBeNull();
    expect(plan.postgresSkipReason).toBe('no PostgreSQL server answers at x');
    expect(plan.browserSkipReason).toBe('no Chromium at /nope');
    expect(plan.notices).toHaveLength(2);
    expect(plan.notices[0]).toMatch(/^PostgreSQL tests SKIPPED: .*To run them: docker run .*postgres:15/);
    expect(plan.notices[1]).toMatch(/^Browser tests SKIPPED: no Chromium at \/nope\. To run them: sudo apt-get install chromium/);
  });

  it('in CI (CI=true) a missing service fails the run instead of skipping', () => {
    const plan = planServices(true, null, 'no Chromium at /nope');
    expect(plan.failure).toMatch(/CI=true runs every test for real, but browser: no Chromium at \/nope/);
    expect(plan.browserSkipReason).toBeNull();
    expect(planServices(true, null, null)).toEqual({ postgresSkipReason: null, browserSkipReason: null, notices: [], failure: null });
  });
});
