import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Probes PostgreSQL and Chromium once: skipped with a reason on a laptop, required in CI (CI=true).
    globalSetup: ['tests/support/global-setup.ts'],
  },
});
