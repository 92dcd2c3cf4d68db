import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pyJwtSkipReason, runPython } from '../support/pyjwt.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const VERIFY = `
import sys, jwt
url, token = sys.argv[1], sys.argv[2]
key = jwt.PyJWKClient(url).get_signing_key_from_jwt(token)
claims = jwt.decode(token, key.key, algorithms=["RS256"], issuer="open-metadata.org", options={"require": ["exp", "iat", "sub"]})
print(claims["sub"], claims["tokenType"], claims["isBot"])
`;

describe.skipIf(pyJwtSkipReason !== null)('PyJWT accepts a bot token from the running API using only its JWKS URL', () => {
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
    const good = await runPython(VERIFY, [`${base}/api/v1/system/config/jwks`, token]);
    expect(good.stderr).toBe('');
    expect(good.stdout.trim()).toBe('py-bot BOT True');
    const tampered = `${token.slice(0, -4)}AAAA`;
    const bad = await runPython(VERIFY, [`${base}/api/v1/system/config/jwks`, tampered]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/InvalidSignatureError|Signature verification failed/);
  });
});
