import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { frozenClock, ID_TOKEN_ALGORITHMS } from '../shared/index.js';
import { createJwksCache, type FetchLike } from './jwks-cache.js';

let k1: JWK;
let k2: JWK;
beforeAll(async () => {
  k1 = { ...(await exportJWK((await generateKeyPair('RS256')).publicKey)), kid: 'k1', alg: 'RS256' };
  k2 = { ...(await exportJWK((await generateKeyPair('RS256')).publicKey)), kid: 'k2', alg: 'RS256' };
});

function fakeProvider(initial: JWK[]) {
  const state = { keys: initial, calls: 0, fail: false };
  const fetch: FetchLike = async () => {
    state.calls += 1;
    await new Promise((r) => setTimeout(r, 5));
    if (state.fail) throw new TypeError('fetch failed');
    return new Response(JSON.stringify({ keys: state.keys }), { headers: { 'content-type': 'application/json' } });
  };
  return { state, fetch };
}

describe('JWKS cache', () => {
  it('picks up a rotated key with one re-read, but not within the 60 s cooldown', async () => {
    const clock = frozenClock();
    const p = fakeProvider([k1]);
    const cache = createJwksCache({ jwksUri: 'https://idp/certs', providerId: 'p', algorithms: ID_TOKEN_ALGORITHMS, clock, fetch: p.fetch });
    await cache.getKey({ alg: 'RS256', kid: 'k1' });
    expect(p.state.calls).toBe(1);
    p.state.keys = [k1, k2];
    await expect(cache.getKey({ alg: 'RS256', kid: 'k2' })).rejects.toThrow();
    expect(p.state.calls).toBe(1);
    // The one JWKS cache's cool-down is 60 s (the stricter of the two it replaced; this one had 30 s).
    clock.advance(30_000);
    await expect(cache.getKey({ alg: 'RS256', kid: 'k2' })).rejects.toThrow();
    expect(p.state.calls).toBe(1);
    clock.advance(30_000);
    await cache.getKey({ alg: 'RS256', kid: 'k2' });
    expect(p.state.calls).toBe(2);
    expect(cache.kids()).toEqual(['k1', 'k2']);
  });

  it('re-reads after the maximum age and shares one request between concurrent callers', async () => {
    const clock = frozenClock();
    const p = fakeProvider([k1]);
    const cache = createJwksCache({ jwksUri: 'https://idp/certs', providerId: 'p', algorithms: ID_TOKEN_ALGORITHMS, clock, fetch: p.fetch, maxAgeMs: 60_000 });
    await Promise.all(Array.from({ length: 5 }, () => cache.getKey({ alg: 'RS256', kid: 'k1' })));
    expect(p.state.calls).toBe(1);
    clock.advance(60_000);
    await cache.getKey({ alg: 'RS256', kid: 'k1' });
    expect(p.state.calls).toBe(2);
  });

  it('a provider that is down or answers garbage gives SSO_PROVIDER_UNAVAILABLE', async () => {
    const clock = frozenClock();
    const p = fakeProvider([k1]);
    p.state.fail = true;
    const cache = createJwksCache({ jwksUri: 'https://idp/certs', providerId: 'p', algorithms: ID_TOKEN_ALGORITHMS, clock, fetch: p.fetch });
    await expect(cache.getKey({ alg: 'RS256', kid: 'k1' })).rejects.toMatchObject({ code: 'SSO_PROVIDER_UNAVAILABLE' });
    const garbage = createJwksCache({ jwksUri: 'https://idp/certs', providerId: 'p', algorithms: ID_TOKEN_ALGORITHMS, clock, fetch: async () => new Response('<html>') });
    await expect(garbage.getKey({ alg: 'RS256', kid: 'k1' })).rejects.toMatchObject({ code: 'SSO_PROVIDER_UNAVAILABLE' });
  });

  it('keeps the keys it has when a re-read after the maximum age fails', async () => {
    const clock = frozenClock();
    const p = fakeProvider([k1]);
    const cache = createJwksCache({ jwksUri: 'https://idp/certs', providerId: 'p', algorithms: ID_TOKEN_ALGORITHMS, clock, fetch: p.fetch, maxAgeMs: 60_000 });
    await cache.getKey({ alg: 'RS256', kid: 'k1' });
    p.state.fail = true;
    clock.advance(60_000);
    await expect(cache.getKey({ alg: 'RS256', kid: 'k1' })).resolves.toBeDefined();
    expect(p.state.calls).toBe(2);
  });

  it('fetches keys only over https (plain http on loopback only)', async () => {
    const clock = frozenClock();
    const p = fakeProvider([k1]);
    const cache = createJwksCache({ jwksUri: 'http://idp.example/certs', providerId: 'p', algorithms: ID_TOKEN_ALGORITHMS, clock, fetch: p.fetch });
    await expect(cache.getKey({ alg: 'RS256', kid: 'k1' })).rejects.toMatchObject({ code: 'SSO_PROVIDER_UNAVAILABLE' });
    expect(p.state.calls).toBe(0);
    const loopback = createJwksCache({ jwksUri: 'http://127.0.0.1:9/certs', providerId: 'p', algorithms: ID_TOKEN_ALGORITHMS, clock, fetch: p.fetch });
    await expect(loopback.getKey({ alg: 'RS256', kid: 'k1' })).resolves.toBeDefined();
  });

  it('resolves EC and EdDSA keys for their algorithms, and a header without kid when exactly one key fits', async () => {
    const clock = frozenClock();
    const ec = { ...(await exportJWK((await generateKeyPair('ES256')).publicKey)), kid: 'ec' };
    const ed = { ...(await exportJWK((await generateKeyPair('EdDSA')).publicKey)), kid: 'ed' };
    const p = fakeProvider([k1, ec, ed]);
    const cache = createJwksCache({ jwksUri: 'https://idp/certs', providerId: 'p', algorithms: ID_TOKEN_ALGORITHMS, clock, fetch: p.fetch });
    expect((await cache.getKey({ alg: 'ES256', kid: 'ec' })).asymmetricKeyType).toBe('ec');
    expect((await cache.getKey({ alg: 'EdDSA', kid: 'ed' })).asymmetricKeyType).toBe('ed25519');
    expect((await cache.getKey({ alg: 'ES256' })).asymmetricKeyType).toBe('ec');
    // The RSA key says RS256 only; two RSA keys would make a kid-less header ambiguous.
    await expect(cache.getKey({ alg: 'ES384', kid: 'ec' })).rejects.toThrow();
    await expect(cache.getKey({ alg: 'RS512', kid: 'k1' })).rejects.toThrow();
    const two = createJwksCache({ jwksUri: 'https://idp/certs', providerId: 'p', algorithms: ID_TOKEN_ALGORITHMS, clock, fetch: fakeProvider([k1, k2]).fetch });
    await expect(two.getKey({ alg: 'RS256' })).rejects.toThrow();
  });

  it('imports only keys usable with the provider\'s algorithms', async () => {
    const clock = frozenClock();
    const ec = { ...(await exportJWK((await generateKeyPair('ES256')).publicKey)), kid: 'ec' };
    const p = fakeProvider([k1, ec]);
    const cache = createJwksCache({ jwksUri: 'https://idp/certs', providerId: 'p', algorithms: ['RS256'], clock, fetch: p.fetch });
    await cache.getKey({ alg: 'RS256', kid: 'k1' });
    expect(cache.kids()).toEqual(['k1']);
  });

  it('gives up on a provider whose JWKS does not answer after 5 s (the stricter of the two caches it replaced)', async () => {
    const hanging: FetchLike = (_url, init) => new Promise((_resolve, reject) => {
      init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
    });
    const cache = createJwksCache({ jwksUri: 'https://idp/certs', providerId: 'p', algorithms: ID_TOKEN_ALGORITHMS, clock: frozenClock(), fetch: hanging });
    const started = Date.now();
    await expect(cache.getKey({ alg: 'RS256', kid: 'k1' })).rejects.toMatchObject({ code: 'SSO_PROVIDER_UNAVAILABLE' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(4900);
    expect(Date.now() - started).toBeLessThan(8000);
  }, 15_000);
});
