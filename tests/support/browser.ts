import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { CHROMIUM } from './test-services.js';

/** Debian's Chromium (apt-get install chromium; TEST_CHROMIUM overrides), driven by playwright-core: never a downloaded browser. */
export { CHROMIUM };

// No network beyond the pages under test: no QUIC, no background fetches, no updates, no sync.
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

/**
 * Whether to skip the browser tests: only on a developer machine without Chromium or without a built UI
 * (npm run build:ui); the global setup printed why and how to enable them. In CI (CI=true, set by .ci/run) the
 * global setup fails the run instead, so a missing browser never passes as skipped.
 */
export const BROWSER_SKIP_REASON: string | null = inject('browserSkipReason') ?? null;
export const SKIP_BROWSER = BROWSER_SKIP_REASON !== null;

export interface ContextOptions {
  viewport?: { width: number; height: number };
  /** Tells sessions apart in the session list ("Firefox on Linux"). */
  userAgent?: string;
}

export interface Browser {
  /** A fresh browser profile (its own --user-data-dir: no cookies shared with other contexts). */
  newPage(options?: ContextOptions): Promise<Page>;
  close(): Promise<void>;
}

/** Launches Chromium once per new profile; close() ends them all and removes their profile folders. */
export async function launchBrowser(): Promise<Browser> {
  const dirs: string[] = [];
  const contexts: BrowserContext[] = [];
  return {
    async newPage(options = {}) {
      const dir = mkdtempSync(join(tmpdir(), 'gatehouse-chromium-'));
      dirs.push(dir);
      const context = await chromium.launchPersistentContext(dir, {
        executablePath: CHROMIUM,
        args: ARGS,
        headless: true,
        viewport: options.viewport ?? { width: 1200, height: 900 },
        ...(options.userAgent ? { userAgent: options.userAgent } : {}),
        // The "Copy" buttons write the one-time token to the clipboard; the tests read it back.
        permissions: ['clipboard-read', 'clipboard-write'],
      });
      contexts.push(context);
      // Fail fast with the step that failed, well inside the test's own timeout.
      context.setDefaultTimeout(8_000);
      return context.pages()[0] ?? (await context.newPage());
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
}

/**
 * Collects script errors and console errors (Chromium reports CSP violations there): the strict policy must hold
 * with the real bundle. Expected 401/403 answers and a provider page's missing favicon are not problems of the UI.
 */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (/status of 40[139]/.test(m.text()) || m.location().url.endsWith('/favicon.ico')) return;
    problems.push(`${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  return problems;
}
