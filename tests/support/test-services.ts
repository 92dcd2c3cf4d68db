import { existsSync } from 'node:fs';
import pg from 'pg';

/**
 * What the test run needs from outside: a PostgreSQL server and Debian's Chromium. Read by the global setup (once per
 * run) and by the helpers in the test workers, so both agree on the addresses. Override for a laptop, or to prove the
 * skips: TEST_DATABASE_URL (e.g. a closed port) and TEST_CHROMIUM (e.g. a missing file).
 */
export const TEST_POSTGRES_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
export const CHROMIUM = process.env['TEST_CHROMIUM'] ?? '/usr/bin/chromium';

/** CI (.ci/run sets CI=true) must run every test for real: a missing service fails the run instead of skipping. */
export const IN_CI = process.env['CI'] === 'true';

/**
 * The one command that gives a developer machine what CI has (PostgreSQL 15, trust auth, database `test`). Not an
 * embedded PGlite: tried with @electric-sql/pglite-socket (0.2.17, PGlite 0.5.14), its connections share one session, so
 * the per-connection search_path (each test's own schema), concurrent transactions (the last-admin guard) and
 * LISTEN/NOTIFY between connections (the change feed) do not behave as PostgreSQL does, and those tests failed.
 */
export const ENABLE_POSTGRES =
  'docker run -d --name gatehouse-test-pg -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust -e POSTGRES_DB=test postgres:15 ' +
  '(or point TEST_DATABASE_URL at a server where you may create schemas and databases)';
export const ENABLE_BROWSER = 'sudo apt-get install chromium && npm run build:ui (or point TEST_CHROMIUM at a Chromium binary)';

/** Why the PostgreSQL tests cannot run here, or null when the server answers `select 1` within two seconds. */
export async function probePostgres(url: string = TEST_POSTGRES_URL): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  // An unreachable server also emits 'error' on the client; the rejected connect() below already reports it.
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    const e = error as { code?: string; message?: string };
    const redacted = url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
    return `no PostgreSQL server answers at ${redacted} (${e.code ?? e.message ?? String(error)})`;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Why the browser tests cannot run here, or null. */
export function probeBrowser(): string | null {
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM}`;
  if (!existsSync('ui/dist/index.html')) return 'the web UI is not built (ui/dist/index.html is missing)';
  return null;
}

export interface ServicePlan {
  postgresSkipReason: string | null;
  browserSkipReason: string | null;
  /** One line per skipped group: why, and the command that enables it. */
  notices: string[];
  /** Set in CI when a service is missing: the run must fail, not skip. */
  failure: string | null;
}

/** Decides from the probes what this run does: in CI a missing service is a failure; elsewhere its tests are skipped. */
export function planServices(inCi: boolean, postgres: string | null, browser: string | null): ServicePlan {
  if (inCi && (postgres || browser)) {
    const missing = [postgres && `PostgreSQL: ${postgres}`, browser && `browser: ${browser}`].filter(Boolean);
    return { postgresSkipReason: null, browserSkipReason: null, notices: [], failure: `CI=true runs every test for real, but ${missing.join('; ')}. .ci/run starts them.` };
  }
  const notices = [
    ...(postgres ? [`PostgreSQL tests SKIPPED: ${postgres}. To run them: ${ENABLE_POSTGRES}`] : []),
    ...(browser ? [`Browser tests SKIPPED: ${browser}. To run them: ${ENABLE_BROWSER}`] : []),
  ];
  return { postgresSkipReason: postgres, browserSkipReason: browser, notices, failure: null };
}
