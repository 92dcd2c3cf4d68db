import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

// Debian's python3-jwt (installed by .ci/run); the pyenv python on PATH may lack it, so use the system interpreter.
const PYTHON = '/usr/bin/python3';
const hasPyJwt = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import jwt'], { stdio: 'ignore' }).status === 0;
if (!hasPyJwt) console.warn('pyjwt interop test skipped: /usr/bin/python3 has no jwt module (apt-get install python3-jwt)');

// Asynchronous on purpose: the server answering PyJWT's JWKS request runs on this same event loop.
const run = (args: string[]) =>
  promisify(execFile)(PYTHON, args, { encoding: 'utf8', timeout: 20_000 }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }),
  );

const VERIFY = `
import sys, jwt
url, token = sys.argv[1], sys.argv[2]
key = jwt.PyJWKClient(url).get_signing_key_from_jwt(token)
claims = jwt.decode(token, key.key, algorithms=["RS256"], issuer="open-metadata.org", options={"require": ["exp", "iat", "sub"]})
print(claims["sub"], claims["tokenType"], claims["isBot"])
`;

describe.skipIf(!hasPyJwt)('an independent verifier (PyJWT) accepts a bot token using only the JWKS URL', () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await startTestApp();
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await t.close();
  });

  it('verifies signature, issuer and expiry', async () => {
    // PyJWT checks exp against the real clock, so this test runs the app's frozen clock at the real time.
    t.clock.set(Date.now());
    const admin = await t.adminToken();
    const bot = (await t.call({ method: 'POST', url: '/api/v1/bots', token: admin, payload: { name: 'py-bot' } })).json();
    const token = (await t.call({ method: 'PUT', url: `/api/v1/users/generateToken/${bot.botUser.id}`, token: admin, payload: { JWTTokenExpiry: '1' } })).json().JWTToken;
    const good = await run(['-c', VERIFY, `${base}/api/v1/system/config/jwks`, token]);
    expect(good.stderr).toBe('');
    expect(good.stdout.trim()).toBe('py-bot BOT True');
    const tampered = `${token.slice(0, -4)}AAAA`;
    const bad = await run(['-c', VERIFY, `${base}/api/v1/system/config/jwks`, tampered]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/InvalidSignatureError|Signature verification failed/);
  });
});
