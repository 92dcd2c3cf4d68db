import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

// Debian's python3-jwt (installed by .ci/run). `python3` on PATH may be a pyenv build without it, so use the system one.
const PYTHON = '/usr/bin/python3';
const probe = existsSync(PYTHON) ? spawnSync(PYTHON, ['-c', 'import jwt'], { encoding: 'utf8' }) : null;

/** Why the PyJWT tests cannot run here, or null when they can. */
export const pyJwtSkipReason: string | null = !probe
  ? `${PYTHON} does not exist`
  : probe.status !== 0
    ? `${PYTHON} cannot import jwt (apt-get install python3-jwt): ${probe.stderr.trim().split('\n').pop()}`
    : null;
if (pyJwtSkipReason) console.warn(`PyJWT tests skipped: ${pyJwtSkipReason}`);

/**
 * Runs a Python snippet with arguments. Asynchronous on purpose: the server answering PyJWT's JWKS request may run on
 * the test's own event loop.
 */
export const runPython = (script: string, args: string[]) =>
  promisify(execFile)(PYTHON, ['-c', script, ...args], { encoding: 'utf8', timeout: 20_000 }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }),
  );
