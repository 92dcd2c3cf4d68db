import type { KeyObject } from 'node:crypto';
import { errors, type JWSHeaderParameters } from 'jose';
import { GatehouseError } from '../errors/index.js';
import { createRemoteJwks, type FetchLike } from '../jwks/index.js';
import { silentLogger, type Clock, type Logger } from '../shared/index.js';

export type { FetchLike } from '../jwks/index.js';

export interface JwksCacheOptions {
  jwksUri: string;
  providerId: string;
  /** The provider's ID-token algorithms: only keys usable with one of them are imported. */
  algorithms: readonly string[];
  clock: Clock;
  fetch: FetchLike;
  logger?: Logger;
  /** Keys are re-read after this long even when every kid is known (default 10 minutes). */
  maxAgeMs?: number;
  /** An unknown kid triggers a re-read only if the last attempt is older than this (default 60 s, src/jwks). */
  cooldownMs?: number;
  /** Per fetch (default 5 s, src/jwks). */
  timeoutMs?: number;
}

/** Resolves the verification key of a JWS from the provider's JWKS; see createJwksCache. */
export interface JwksCache {
  getKey(header: JWSHeaderParameters): Promise<KeyObject>;
  /** kids currently known (diagnostics); empty before the first fetch. */
  kids(): string[];
  /** How many times the JWKS was fetched (diagnostics and tests). */
  fetchCount(): number;
}

/**
 * One provider's signing keys, through the one JWKS cache (src/jwks: https, timeout, size limit, cool-down on unknown
 * kids). A provider whose keys could never be read gives SSO_PROVIDER_UNAVAILABLE; a kid it does not publish fails the
 * signature check as jose's "no matching key".
 */
export function createJwksCache(options: JwksCacheOptions): JwksCache {
  const remote = createRemoteJwks({
    clock: options.clock, logger: options.logger ?? silentLogger, algorithms: options.algorithms, fetch: options.fetch,
    ...(options.maxAgeMs !== undefined ? { ttlMs: options.maxAgeMs } : {}),
    ...(options.cooldownMs !== undefined ? { cooldownMs: options.cooldownMs } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  const url = options.jwksUri;
  return {
    async getKey(header) {
      const key = await remote.keyFor(url, { kid: header.kid, alg: header.alg });
      if (key) return key;
      const status = remote.status(url);
      if (!status.loaded) {
        throw new GatehouseError('SSO_PROVIDER_UNAVAILABLE', undefined, { internal: { provider: options.providerId, step: 'jwks', url, reason: status.error } });
      }
      throw new errors.JWKSNoMatchingKey();
    },
    kids: () => remote.known()[url] ?? [],
    fetchCount: () => remote.status(url).fetches,
  };
}
