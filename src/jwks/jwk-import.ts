import { createPublicKey, type KeyObject } from 'node:crypto';

/** One verification key from a JWKS: the public key only, with what selecting it by a JWS header needs. */
export interface ImportedKey {
  kid: string | undefined;
  /** The JWK's own `alg`, when it names one: the key then verifies that algorithm only. */
  alg: string | undefined;
  key: KeyObject;
}

/** ES algorithm -> the JWK curve name and Node's name for the same curve. */
const EC_CURVES: Readonly<Record<string, { jwk: string; node: string }>> = {
  ES256: { jwk: 'P-256', node: 'prime256v1' }, ES384: { jwk: 'P-384', node: 'secp384r1' }, ES512: { jwk: 'P-521', node: 'secp521r1' },
};
const EDDSA_CURVES: readonly string[] = ['Ed25519', 'Ed448'];
/** RSA below 2048 bits is refused by jose anyway; a malformed modulus decodes to a tiny "key" and is skipped here. */
const MIN_RSA_BITS = 2048;

/** True when `key` can verify a signature made with `alg` (RS and PS: RSA; ES: EC on the matching curve; EdDSA: OKP). */
export function keyFitsAlgorithm(key: KeyObject, alg: string): boolean {
  const type = key.asymmetricKeyType;
  if (/^(RS|PS)(256|384|512)$/.test(alg)) return type === 'rsa';
  const curve = EC_CURVES[alg];
  if (curve) return type === 'ec' && key.asymmetricKeyDetails?.namedCurve === curve.node;
  if (alg === 'EdDSA') return type === 'ed25519' || type === 'ed448';
  return false;
}

/** The public members of a JWK, by key type; undefined for anything that is not an asymmetric signature key. */
function publicMembers(jwk: Record<string, unknown>): Record<string, string> | undefined {
  const str = (name: string) => (typeof jwk[name] === 'string' && jwk[name] !== '' ? (jwk[name] as string) : undefined);
  const [n, e, crv, x, y] = [str('n'), str('e'), str('crv'), str('x'), str('y')];
  if (jwk['kty'] === 'RSA' && n && e) return { kty: 'RSA', n, e };
  if (jwk['kty'] === 'EC' && crv && Object.values(EC_CURVES).some((c) => c.jwk === crv) && x && y) return { kty: 'EC', crv, x, y };
  if (jwk['kty'] === 'OKP' && crv && EDDSA_CURVES.includes(crv) && x) return { kty: 'OKP', crv, x };
  return undefined;
}

/**
 * The signature keys of a JWKS document usable with at least one of `algorithms`. Encryption keys, symmetric keys and
 * malformed or short keys are skipped one by one: one bad key must not hide the issuer's other, good keys. Private
 * members (`d`, ...) are never imported, even if a broken JWKS publishes them.
 */
export function importKeys(keys: readonly unknown[], algorithms: readonly string[]): ImportedKey[] {
  const imported: ImportedKey[] = [];
  for (const jwk of keys) {
    if (typeof jwk !== 'object' || jwk === null) continue;
    const record = jwk as Record<string, unknown>;
    if (record['use'] !== undefined && record['use'] !== 'sig') continue;
    const members = publicMembers(record);
    if (!members) continue;
    let key: KeyObject;
    try {
      key = createPublicKey({ key: members, format: 'jwk' });
    } catch {
      continue;
    }
    if (key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) continue;
    const alg = typeof record['alg'] === 'string' ? record['alg'] : undefined;
    if (!algorithms.some((a) => (alg === undefined || alg === a) && keyFitsAlgorithm(key, a))) continue;
    imported.push({ kid: typeof record['kid'] === 'string' ? record['kid'] : undefined, alg, key });
  }
  return imported;
}
