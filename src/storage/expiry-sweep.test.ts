import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../shared/index.js';
import { startExpirySweep, sweepExpiredRows, type PurgeTask } from './expiry-sweep.js';

function recordingLogger() {
  const lines: { level: string; obj: object; msg: string | undefined }[] = [];
  const at = (level: string) => (obj: object, msg?: string) => void lines.push({ level, obj, msg });
  const logger: Logger = { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };
  return { logger, lines };
}

/** A table holding `rows` expired rows; records the limit of each statement. */
function table(name: string, rows: number) {
  const limits: number[] = [];
  let left = rows;
  const task: PurgeTask = {
    table: name,
    purge: async (limit) => {
      limits.push(limit);
      const deleted = Math.min(limit, left);
      left -= deleted;
      return deleted;
    },
  };
  return { task, limits, left: () => left };
}

describe('sweepExpiredRows', () => {
  it('deletes in batches of batchSize, at most maxBatches statements per table, stopping at a short batch', async () => {
    const big = table('sessions', 2_500);
    const small = table('oidc_transactions', 30);
    const { logger, lines } = recordingLogger();
    const purged = await sweepExpiredRows({ tasks: [big.task, small.task], logger, batchSize: 500, maxBatches: 4 });
    expect(purged).toEqual({ sessions: 2_000, oidc_transactions: 30 });
    expect(big.limits).toEqual([500, 500, 500, 500]);
    expect(small.limits).toEqual([500]);
    expect(big.left()).toBe(500); // the rest waits for the next run
    expect(lines).toContainEqual({ level: 'info', obj: { purged }, msg: 'expired rows purged' });
  });

  it('logs a failing table and still sweeps the others; never rejects', async () => {
    const broken: PurgeTask = { table: 'api_tokens', purge: () => Promise.reject(new Error('Connection terminated unexpectedly')) };
    const fine = table('login_attempts', 3);
    const { logger, lines } = recordingLogger();
    await expect(sweepExpiredRows({ tasks: [broken, fine.task], logger })).resolves.toEqual({ api_tokens: 0, login_attempts: 3 });
    expect(lines.filter((l) => l.level === 'error').map((l) => [l.msg, (l.obj as { table: string }).table])).toEqual([
      ['purging expired rows failed; retried at the next sweep', 'api_tokens'],
    ]);
  });
});

describe('startExpirySweep', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('does not keep the process alive (its timer is unref\'d)', async () => {
    const spy = vi.spyOn(globalThis, 'setInterval');
    const sweep = startExpirySweep({ tasks: [], logger: recordingLogger().logger, intervalMs: 60_000 });
    try {
      const timer = spy.mock.results[0]?.value as NodeJS.Timeout;
      expect(timer.hasRef()).toBe(false);
    } finally {
      spy.mockRestore();
      await sweep.stop();
    }
  });

  it('runs on an interval, joins a run in progress, and stops for good', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let release: () => void = () => {};
    let calls = 0;
    const task: PurgeTask = {
      table: 'sessions',
      purge: () => {
        calls += 1;
        return new Promise<number>((resolve) => (release = () => resolve(0)));
      },
    };
    const sweep = startExpirySweep({ tasks: [task], logger: recordingLogger().logger, intervalMs: 60_000 });
    expect(calls).toBe(0);
    vi.advanceTimersByTime(60_000);
    expect(calls).toBe(1);
    // The next tick finds the first run still going: no second, overlapping run.
    vi.advanceTimersByTime(60_000);
    expect(sweep.run()).toBe(sweep.run());
    expect(calls).toBe(1);
    const stopped = sweep.stop();
    release();
    await stopped;
    vi.advanceTimersByTime(600_000);
    expect(calls).toBe(1);
  });
});
