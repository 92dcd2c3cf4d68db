import { createLocalJWKSet, errors, type CryptoKey, type JSONWebKeySet, type JWSHeaderParameters } from 'jose';
import { GatehouseError } from '../errors/index.js';
import type { Clock } from '../shared/index.js';

export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

export interface JwksCacheOptions {
  jwksUri: string;
  providerId: string;
  clock: Clock;
  fetch: FetchLike;
  /** Keys are re-read after this long even when every kid is known (default 10 minutes). */
  maxAgeMs?: number;
  /** An unknown kid triggers a re-read only if the last one is older than this (default 30 s). */
  cooldownMs?: number;
  timeoutMs?: number;
}

/** Resolves the verification key of a JWS from the provider's JWKS; see createJwksCache. */
export interface JwksCache {
  getKey(header: JWSHeaderParameters): Promise<CryptoKey>;
  /** kids currently known (diagnostics); empty before the first fetch. */
  kids(): string[];
  /** How many times the JWKS was fetched (diagnostics and tests). */
  fetchCount(): number;
}

const MAX_JWKS_BYTES = 256 * 1024;

/**
 * The provider's signing keys, cached with the injected clock. An unknown kid (key rotation at the provider) causes
 * ONE re-read, and only if the cached set is older than the cooldown; then the token fails. So a stream of tokens with
 * made-up kids cannot make us hammer the provider, and a real rotation is picked up within one request.
 */
export function createJwksCache(options: JwksCacheOptions): JwksCache {
  const maxAgeMs = options.maxAgeMs ?? 10 * 60_000;
  const cooldownMs = options.cooldownMs ?? 30_000;
  let local: ((header: JWSHeaderParameters) => Promise<CryptoKey>) | undefined;
  let jwks: JSONWebKeySet | undefined;
  let fetchedAt = -Infinity;
  let inflight: Promise<void> | undefined;
  let count = 0;

  async function load(): Promise<void> {
    count += 1;
    let response: Response;
    try {
      response = await options.fetch(options.jwksUri, {
        headers: { accept: 'application/json, application/jwk-set+json' },
        redirect: 'error',
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
    } catch (cause) {
      throw new GatehouseError('SSO_PROVIDER_UNAVAILABLE', undefined, { cause, internal: { provider: options.providerId, step: 'jwks', url: options.jwksUri } });
    }
    const text = response.ok ? await response.text() : '';
    let parsed: unknown;
    try {
      parsed = text.length > 0 && text.length <= MAX_JWKS_BYTES ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    const keys = (parsed as { keys?: unknown } | undefined)?.keys;
    if (!Array.isArray(keys)) {
      throw new GatehouseError('SSO_PROVIDER_UNAVAILABLE', undefined, { internal: { provider: options.providerId, step: 'jwks', status: response.status, url: options.jwksUri } });
    }
    jwks = { keys: keys.filter((k): k is JSONWebKeySet['keys'][number] => typeof k === 'object' && k !== null) };
    local = createLocalJWKSet(jwks);
    fetchedAt = options.clock.now();
  }

  async function refresh(): Promise<void> {
    // Concurrent callers share one request.
    inflight ??= load().finally(() => {
      inflight = undefined;
    });
    await inflight;
  }

  return {
    async getKey(header) {
      if (!local || options.clock.now() - fetchedAt >= maxAgeMs) await refresh();
      try {
        return await (local as NonNullable<typeof local>)(header);
      } catch (err) {
        if (!(err instanceof errors.JWKSNoMatchingKey) || options.clock.now() - fetchedAt < cooldownMs) throw err;
      }
      await refresh();
      return (local as NonNullable<typeof local>)(header);
    },
    kids: () => (jwks?.keys ?? []).map((k) => k.kid).filter((kid): kid is string => typeof kid === 'string'),
    fetchCount: () => count,
  };
}
