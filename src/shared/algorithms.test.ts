import { describe, expect, it } from 'vitest';
import { EXTERNAL_TOKEN_ALGORITHMS, ID_TOKEN_ALGORITHMS, isAllowedAlgorithm, OWN_SIGNING_ALGORITHM, OWN_TOKEN_ALGORITHMS } from './algorithms.js';

describe('the one algorithm table', () => {
  const tables = { own: OWN_TOKEN_ALGORITHMS, external: EXTERNAL_TOKEN_ALGORITHMS, idToken: ID_TOKEN_ALGORITHMS };

  it.each(Object.entries(tables))('%s never allows none or HMAC', (_name, table) => {
    for (const alg of ['none', 'None', 'HS256', 'HS384', 'HS512', '']) expect(isAllowedAlgorithm(table, alg)).toBe(false);
    expect(table.every((a) => a !== 'none' && !a.startsWith('HS'))).toBe(true);
  });

  it('own tokens are RS256 only; each table widens the one before it', () => {
    expect(OWN_TOKEN_ALGORITHMS).toEqual([OWN_SIGNING_ALGORITHM]);
    expect(OWN_SIGNING_ALGORITHM).toBe('RS256');
    expect(EXTERNAL_TOKEN_ALGORITHMS).toEqual(['RS256', 'RS384', 'RS512']);
    expect(OWN_TOKEN_ALGORITHMS.every((a) => isAllowedAlgorithm(EXTERNAL_TOKEN_ALGORITHMS, a))).toBe(true);
    expect(EXTERNAL_TOKEN_ALGORITHMS.every((a) => isAllowedAlgorithm(ID_TOKEN_ALGORITHMS, a))).toBe(true);
    expect(isAllowedAlgorithm(ID_TOKEN_ALGORITHMS, 'ES256')).toBe(true);
    expect(isAllowedAlgorithm(EXTERNAL_TOKEN_ALGORITHMS, 'ES256')).toBe(false);
    expect(isAllowedAlgorithm(ID_TOKEN_ALGORITHMS, undefined)).toBe(false);
  });
});
