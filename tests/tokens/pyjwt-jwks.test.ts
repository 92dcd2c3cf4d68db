import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frozenClock } from '../../src/shared/index.js';
import { signOwnToken } from '../../src/tokens/index.js';
import { pyJwtSkipReason, runPython } from '../support/pyjwt.js';
import type { KeyRing } from '../../src/keys/index.js';
import { ISSUER, startRingWithJwks } from './support.js';

// PyJWT gets nothing but the JWKS URL: it must find the key by kid and verify signature, issuer and expiry itself.
const VERIFY = `
import sys, jwt
url, token = sys.argv[1], sys.argv[2]
key = jwt.PyJWKClient(url, cache_keys=False).get_signing_key_from_jwt(token)
claims = jwt.decode(token, key.key, algorithms=["RS256"], issuer="${ISSUER}", options={"require": ["exp", "iat", "sub", "jti"]})
print(claims["sub"], claims["tokenType"], claims["isBot"], claims["roles"][0])
`;

describe.skipIf(pyJwtSkipReason !== null)('PyJWT, given only the JWKS URL of the key ring, across a rotation', () => {
  // PyJWT checks exp against the real clock.
  const clock = frozenClock(Date.now());
  let fixture: Awaited<ReturnType<typeof startRingWithJwks>>;
  let ring: KeyRing;
  const jwksUrl = () => `${fixture.server.url}/api/v1/system/config/jwks`;
  const botToken = async () =>
    (await signOwnToken({ ring, clock, issuer: ISSUER }, { sub: 'py-bot', email: null, isBot: true, tokenType: 'BOT', roles: ['IngestionBotRole'], lifetimeSeconds: 86_400 })).token;

  beforeAll(async () => {
    fixture = await startRingWithJwks(clock);
    ring = fixture.ring;
  });
  afterAll(() => fixture.close());

  it('verifies signature, issuer and expiry, and refuses a tampered token', async () => {
    const token = await botToken();
    const good = await runPython(VERIFY, [jwksUrl(), token]);
    expect(good.stderr).toBe('');
    expect(good.stdout.trim()).toBe('py-bot BOT True IngestionBotRole');
    const [h, p, s] = token.split('.');
    const tampered = `${h}.${p}.${(s ?? '').slice(0, -4)}${(s ?? '').endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    const bad = await runPython(VERIFY, [jwksUrl(), tampered]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/InvalidSignatureError|Signature verification failed/);
  });

  it('keeps verifying the old token after a rotation, and stops once its key is retired', async () => {
    const token = await botToken();
    const oldKid = ring.signingKey().kid;
    await ring.rotate();
    expect((await runPython(VERIFY, [jwksUrl(), token])).stdout.trim()).toBe('py-bot BOT True IngestionBotRole');
    expect((await runPython(VERIFY, [jwksUrl(), await botToken()])).code).toBe(0);
    await ring.retire(oldKid);
    const refused = await runPython(VERIFY, [jwksUrl(), token]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/Unable to find a signing key|PyJWKClientError/);
  });
});
