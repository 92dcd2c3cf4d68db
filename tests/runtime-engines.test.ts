import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

interface LockedPackage {
  readonly version?: string;
  readonly dev?: boolean;
  readonly engines?: { readonly node?: string };
}

/**
 * Test-only packages allowed to declare a Node.js range narrower than ours, each with why that is harmless. Everything
 * else counts, dev packages included: a bare-metal `npm ci` runs the prepare script (tsc, vite), so the build toolchain
 * runs on every runtime we claim, not only in CI.
 */
const TEST_ONLY_EXCEPTIONS: Readonly<Record<string, string>> = {
  'kubernetes-models': 'tests/deploy/ schema validation only; it passes on Node 20, where npm ci warns EBADENGINE',
  '@kubernetes-models/apimachinery': 'dependency of kubernetes-models',
  '@kubernetes-models/base': 'dependency of kubernetes-models',
  '@kubernetes-models/validate': 'dependency of kubernetes-models',
};

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(join(ROOT, file), 'utf8'));
}

const claimed = (readJson('package.json') as { engines: { node: string } }).engines.node;
const locked = Object.entries((readJson('package-lock.json') as { packages: Record<string, LockedPackage> }).packages)
  .filter(([path]) => path !== '')
  .map(([path, entry]) => ({ name: path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length), entry }));

/** The oldest release of each Node.js line `engines` claims: a dependency that accepts it accepts the whole line. */
function claimedMinimums(range: string): string[] {
  return new semver.Range(range).set.map((comparators) => {
    const oldest = semver.minVersion(comparators.map((c) => c.value).join(' '));
    if (!oldest) throw new Error(`engines.node part "${comparators.join(' ')}" admits no version`);
    return oldest.version;
  });
}

interface Conflict {
  readonly name: string;
  readonly line: string;
}

/** Each locked package (of those `include` selects) whose `engines.node` refuses a claimed runtime. */
function conflicts(include: (name: string, entry: LockedPackage) => boolean): Conflict[] {
  const minimums = claimedMinimums(claimed);
  return locked.flatMap(({ name, entry }) => {
    const needs = entry.engines?.node;
    if (needs === undefined || !include(name, entry)) return [];
    const excluded = minimums.filter((version) => !semver.satisfies(version, needs));
    if (excluded.length === 0) return [];
    return [{ name, line: `${name}@${entry.version ?? '?'} needs node ${needs}, excludes ${excluded.join(', ')}` }];
  });
}

describe('the Node.js runtimes package.json claims', () => {
  it('are the LTS lines CI tests: 20 (the machine), 22 and 24, from the release each dependency line needs', () => {
    // 20.19 and 22.12 are where require() of ES modules became unflagged; vite 7 needs them to build the UI.
    expect(claimedMinimums(claimed)).toEqual(['20.19.0', '22.12.0', '24.0.0']);
    expect(readFileSync(join(ROOT, '.ci/run'), 'utf8')).toMatch(/scripts\/test-on-node\.sh 24\b/);
    expect(readFileSync(join(ROOT, '.ci/run'), 'utf8')).toMatch(/scripts\/test-on-node\.sh 22\b/);
  });

  it('the container image builds and runs on Node.js 24, the line CI tests in full', () => {
    const images = readFileSync(join(ROOT, 'deploy/docker/Dockerfile'), 'utf8').match(/^FROM \S+/gm) ?? [];
    expect(images.length).toBeGreaterThan(0);
    for (const from of images) expect(from).toMatch(/^FROM node:24-/);
    expect(semver.satisfies('24.0.0', claimed)).toBe(true);
  });

  it('no production dependency declares engines that exclude one of them (npm would warn EBADENGINE)', () => {
    expect(conflicts((_name, entry) => entry.dev !== true).map((c) => c.line)).toEqual([]);
  });

  it('no dev dependency does either, except the test-only ones listed with their reason', () => {
    const unlisted = conflicts((name, entry) => entry.dev === true && !(name in TEST_ONLY_EXCEPTIONS));
    expect(unlisted.map((c) => c.line)).toEqual([]);
  });

  it('each listed exception still conflicts, so the list cannot outlive its reason', () => {
    const stillNeeded = new Set(conflicts((name) => name in TEST_ONLY_EXCEPTIONS).map((c) => c.name));
    expect([...stillNeeded].sort()).toEqual(Object.keys(TEST_ONLY_EXCEPTIONS).sort());
  });
});
