import { generateKeyPairSync } from 'node:crypto';
import { exportJWK, type JWK } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRemoteJwks } from '../../src/jwks/index.js';
import { EXTERNAL_TOKEN_ALGORITHMS, frozenClock, type Logger } from '../../src/shared/index.js';
import { json, startLocalServer, T0, type LocalServer } from '../tokens/support.js';

const rsaJwk = async (kid: string): Promise<JWK> => ({ ...(await exportJWK(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey)), kid, use: 'sig', alg: 'RS256' });

describe('external JWKS: timeout, size limit, caching with a TTL, and a cool-down for unknown kids (real HTTP on 127.0.0.1)', () => {
  let server: LocalServer;
  let k1: JWK;
  let keys: JWK[];
  const warnings: string[] = [];
  const logger: Logger = { info() {}, debug() {}, error() {}, warn: (o) => warnings.push(String((o as { err?: unknown }).err)) };
  const clock = frozenClock(T0);
  const make = (options: { timeoutMs?: number; maxBytes?: number } = {}) => createRemoteJwks({ clock, logger, algorithms: EXTERNAL_TOKEN_ALGORITHMS, ttlMs: 600_000, cooldownMs: 60_000, ...options });
  const hits = (path: string) => server.hits.get(path) ?? 0;

  beforeAll(async () => {
    server = await startLocalServer();
    k1 = await rsaJwk('k1');
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => {
    server.hits.clear();
    keys = [k1];
    warnings.length = 0;
    clock.set(T0);
    server.handle((req, res) => (req.url === '/certs' ? json(res, { keys }) : json(res, { error: 'nope' }, 404)));
  });

  it('fetches once, then serves known kids from the cache', async () => {
    const jwks = make();
    expect(await jwks.getKey(`${server.url}/certs`, 'k1')).toBeDefined();
    for (let i = 0; i < 20; i += 1) await jwks.getKey(`${server.url}/certs`, 'k1');
    expect(hits('/certs')).toBe(1);
  });

  it('unknown kids cause at most one refetch per cool-down window, even concurrently', async () => {
    const jwks = make();
    await jwks.getKey(`${server.url}/certs`, 'k1');
    clock.advance(60_000);
    const results = await Promise.all(Array.from({ length: 25 }, (_, i) => jwks.getKey(`${server.url}/certs`, `forged-${i}`)));
    expect(results.every((k) => k === undefined)).toBe(true);
    expect(hits('/certs')).toBe(2);
    for (let i = 0; i < 50; i += 1) await jwks.getKey(`${server.url}/certs`, `forged-more-${i}`);
    expect(hits('/certs')).toBe(2);
    clock.advance(60_000);
    await jwks.getKey(`${server.url}/certs`, 'forged-again');
    expect(hits('/certs')).toBe(3);
  });

  it('picks up the issuer\'s new key on a refetch, and refreshes after the TTL', async () => {
    const jwks = make();
    await jwks.getKey(`${server.url}/certs`, 'k1');
    const k2 = await rsaJwk('k2');
    keys = [keys[0] as JWK, k2];
    clock.advance(60_000);
    expect(await jwks.getKey(`${server.url}/certs`, 'k2')).toBeDefined();
    keys = [k2];
    clock.advance(599_000);
    expect(await jwks.getKey(`${server.url}/certs`, 'k1')).toBeDefined(); // still within the TTL of the last fetch
    clock.advance(2_000);
    expect(await jwks.getKey(`${server.url}/certs`, 'k2')).toBeDefined();
    expect(hits('/certs')).toBe(3);
    expect(await jwks.getKey(`${server.url}/certs`, 'k1')).toBeUndefined(); // removed by the issuer
  });

  it('keeps the keys it has when the issuer fails (HTTP 500, bad JSON)', async () => {
    const jwks = make();
    await jwks.getKey(`${server.url}/certs`, 'k1');
    server.handle((_req, res) => json(res, { error: 'down' }, 500));
    clock.advance(601_000);
    expect(await jwks.getKey(`${server.url}/certs`, 'k1')).toBeDefined();
    server.handle((_req, res) => res.end('{"keys": ['));
    clock.advance(601_000);
    expect(await jwks.getKey(`${server.url}/certs`, 'k1')).toBeDefined();
    expect(warnings).toEqual([expect.stringMatching(/500/), expect.stringMatching(/JSON/)]);
  });

  it('gives up after the timeout when the issuer does not answer, or stalls in the middle of the body', async () => {
    server.handle(() => undefined);
    const jwks = make({ timeoutMs: 300 });
    const started = Date.now();
    expect(await jwks.getKey(`${server.url}/certs`, 'k1')).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(3000);
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"keys": [');
    });
    clock.advance(60_000);
    const again = Date.now();
    expect(await jwks.getKey(`${server.url}/certs`, 'k1')).toBeUndefined();
    expect(Date.now() - again).toBeLessThan(3000);
    expect(warnings.length).toBe(2);
  });

  it('refuses documents over the size limit, declared or streamed', async () => {
    const big = { keys: [...keys, ...Array.from({ length: 200 }, (_, i) => ({ kty: 'oct', kid: `pad-${i}`, k: 'x'.repeat(100) }))] };
    server.handle((_req, res) => json(res, big));
    expect(await make({ maxBytes: 4096 }).getKey(`${server.url}/certs`, 'k1')).toBeUndefined();
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }); // chunked: no content-length to trust
      res.end(JSON.stringify(big));
    });
    expect(await make({ maxBytes: 4096 }).getKey(`${server.url}/certs`, 'k1')).toBeUndefined();
    expect(warnings.every((w) => /larger than 4096/.test(w))).toBe(true);
    expect(await make({ maxBytes: 64 * 1024 }).getKey(`${server.url}/certs`, 'k1')).toBeDefined();
  });

  it('never follows redirects', async () => {
    server.handle((req, res) => {
      if (req.url === '/certs') {
        res.writeHead(302, { location: '/elsewhere' });
        res.end();
      } else json(res, { keys });
    });
    expect(await make().getKey(`${server.url}/certs`, 'k1')).toBeUndefined();
    expect(hits('/elsewhere')).toBe(0);
  });

  it('imports only RSA signature keys with a kid (skips enc, EC, oct and malformed keys, keeps the good ones)', async () => {
    const ec = { ...(await exportJWK(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey)), kid: 'ec' };
    server.handle((_req, res) => json(res, { keys: [{ ...keys[0], use: 'enc', kid: 'enc' }, ec, { kty: 'oct', kid: 'oct', k: 'c2VjcmV0' }, { kty: 'RSA', kid: 'broken', n: '!!', e: 'AQAB' }, { ...keys[0], kid: undefined }, keys[0]] }));
    const jwks = make();
    expect(await jwks.getKey(`${server.url}/certs`, 'k1')).toBeDefined();
    expect(jwks.known()[`${server.url}/certs`]).toEqual(['k1']);
  });

  it('fetches only over https, or plain http on a loopback host', async () => {
    const asked: string[] = [];
    const jwks = createRemoteJwks({ clock, logger, algorithms: EXTERNAL_TOKEN_ALGORITHMS, fetch: async (url) => {
      asked.push(url);
      return Response.json({ keys });
    } });
    expect(await jwks.getKey('http://issuer.example/certs', 'k1')).toBeUndefined();
    expect(asked).toEqual([]);
    expect(warnings).toEqual([expect.stringMatching(/not https/)]);
    expect(await jwks.getKey('https://issuer.example/certs', 'k1')).toBeDefined();
    expect(await jwks.getKey(`${server.url}/certs`, 'k1')).toBeDefined();
  });
});
