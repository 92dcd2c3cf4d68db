import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const TESTS = import.meta.dirname;
/** What a test writes when it needs a PostgreSQL server: a database, an app or a process on one, or its URL. */
const NEEDS_POSTGRES = /freshPostgresDatabase\(|engine: 'postgres'|TEST_POSTGRES_URL|secondInstance\(|terminateConnections\(/;
/** How a test says so: skipped with the run's reason (SKIP_POSTGRES), or on the engines of this run (ENGINES). */
const SKIPS = /\bSKIP_POSTGRES\b|\bENGINES\b/;
/** Helpers define the rule; they are not tests themselves. */
const HELPERS = new Set(['support']);

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return HELPERS.has(entry.name) ? [] : testFiles(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

// A laptop without PostgreSQL must see these tests skipped with the reason, never a wall of connection errors; a test
// added without the skip fails here on every machine, not only on the one that lacks the server.
describe('tests that need PostgreSQL', () => {
  it('all skip when the run has no PostgreSQL (skipIf(SKIP_POSTGRES) or describe.each(ENGINES))', () => {
    const files = testFiles(TESTS).filter((file) => file !== import.meta.filename);
    const needing = files.filter((file) => NEEDS_POSTGRES.test(readFileSync(file, 'utf8')));
    expect(needing.length).toBeGreaterThan(5);
    const unskipped = needing.filter((file) => !SKIPS.test(readFileSync(file, 'utf8'))).map((file) => relative(TESTS, file));
    expect(unskipped).toEqual([]);
  });
});
