import { KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';

/**
 * RFC 7638 thumbprints (SHA-256) of RSA keys whose private half is public knowledge: the test fixtures shipped in this
 * repository (tests/fixtures/keys/*-test-fixture*) and keys published as examples. Anyone can sign tokens with them,
 * so production refuses them. Matched by thumbprint, not by kid: JWT_KEY_ID can give any key any kid.
 * tests/tokens/keys.test.ts fails when a fixture is added without its thumbprint here.
 */
export const PUBLISHED_KEY_THUMBPRINTS: ReadonlySet<string> = new Set([
  // tests/fixtures/keys/rsa2048-test-fixture-{private,public}.{der,pem} (and -private-pkcs1.pem)
  'Darp01IKGilDmhFKo7bGwzG5ZtpzyjsmbDhJXCVNcNE',
  // tests/fixtures/keys/other-rsa2048-test-fixture-*.pem
  'm8K4a5QdzD_q4ytDRNKh4qr_FDm62GQ4DFS4nuf9VjQ',
  // tests/fixtures/keys/rsa1024-test-fixture-*.der
  'JQAh1RQKOf1gPQhKuMTmRxvV9TgSU414kOxpqZcNogM',
  // Listed by an earlier version as a published example key; kept so it stays refused.
  'WfM8hpW_9oYsWdrvN-OBzNPu7ATbFRIG6OGp3aAv2x8',
]);

/** The RFC 7638 SHA-256 thumbprint of an RSA public key (also the default kid). */
export async function keyFingerprint(key: KeyObject | JWK): Promise<string> {
  const jwk = key instanceof KeyObject ? await exportJWK(key) : key;
  return calculateJwkThumbprint({ kty: 'RSA', n: jwk.n ?? '', e: jwk.e ?? '' }, 'sha256');
}
