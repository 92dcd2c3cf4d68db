import type { Logger } from '../shared/index.js';

/** One table's purge: deletes at most `limit` expired rows (the cut-off is the task's own) and says how many. */
export interface PurgeTask {
  readonly table: string;
  purge(limit: number): Promise<number>;
}

export interface ExpirySweepOptions {
  tasks: readonly PurgeTask[];
  logger: Logger;
  /** Rows per statement: short statements keep locks brief and never stall the requests sharing the database. */
  batchSize?: number;
  /** Statements per table per run; a backlog larger than batchSize * maxBatches is worked off over several runs. */
  maxBatches?: number;
}

const DEFAULT_BATCH_SIZE = 500;
const DEFAULT_MAX_BATCHES = 4;

/**
 * Runs every purge task once, in bounded batches. A failing table is logged and skipped (the others still run, and
 * the next run retries it): the sweep only reclaims space, since expired rows are refused where they are read.
 */
export async function sweepExpiredRows(options: ExpirySweepOptions): Promise<Record<string, number>> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const maxBatches = options.maxBatches ?? DEFAULT_MAX_BATCHES;
  const purged: Record<string, number> = {};
  for (const task of options.tasks) {
    let total = 0;
    try {
      for (let batch = 0; batch < maxBatches; batch++) {
        const deleted = await task.purge(batchSize);
        total += deleted;
        if (deleted < batchSize) break;
      }
    } catch (error) {
      options.logger.error({ err: error, table: task.table }, 'purging expired rows failed; retried at the next sweep');
    }
    purged[task.table] = total;
  }
  if (Object.values(purged).some((n) => n > 0)) options.logger.info({ purged }, 'expired rows purged');
  return purged;
}

export interface ExpirySweep {
  /** One run now (also what the timer calls); a run already in progress is joined, not doubled. */
  run(): Promise<Record<string, number>>;
  /** Clears the timer and waits for a run in progress, so the database can be closed after it. */
  stop(): Promise<void>;
}

/** Schedules sweepExpiredRows every `intervalMs` on an unref'd timer: it never keeps the process alive. */
export function startExpirySweep(options: ExpirySweepOptions & { intervalMs: number }): ExpirySweep {
  let running: Promise<Record<string, number>> | undefined;
  const run = () => {
    running ??= sweepExpiredRows(options).finally(() => {
      running = undefined;
    });
    return running;
  };
  // sweepExpiredRows logs its own failures and never rejects, so nothing is left unhandled on the timer path.
  const timer = setInterval(() => void run(), options.intervalMs);
  timer.unref();
  return {
    run,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
