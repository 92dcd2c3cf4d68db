import type { TestProject } from 'vitest/node';
import { IN_CI, planServices, probeBrowser, probePostgres } from './test-services.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Why PostgreSQL-backed tests are skipped in this run, or null when they run. */
    postgresSkipReason: string | null;
    /** Why browser tests are skipped in this run, or null when they run. */
    browserSkipReason: string | null;
  }
}

/**
 * Probes the outside services once per run. On a developer machine a missing one skips its tests with one line that
 * says why and how to enable them (never a wall of connection errors); in CI (CI=true) it fails the run instead.
 */
export default async function setup(project: TestProject): Promise<void> {
  const plan = planServices(IN_CI, await probePostgres(), probeBrowser());
  if (plan.failure) throw new Error(plan.failure);
  for (const line of plan.notices) process.stderr.write(`${line}\n`);
  project.provide('postgresSkipReason', plan.postgresSkipReason);
  project.provide('browserSkipReason', plan.browserSkipReason);
}
