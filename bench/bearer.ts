// `npm run bench -- bearer`: an authenticated route with one cached bot token, against baselines measured in the same run.
//  - GET /api/v1/users/loggedInUser vs GET /healthz on the same server with a same-size header (target >= 0.85);
//  - the same vs fastify + jose + an LRU of verified tokens (bench/servers/jose-lru-reference.ts, target >= 1.0);
//  - the same vs express 5 + express-jwt + jwks-rsa (bench/servers/express-reference.ts, target >= 6);
//  - /api/v1/system/version with the token vs without it (same-size header): the bearer check alone.
import { measure, ratioLine, ROUNDS, setupLine, startServer, type Measured } from './lib/harness.js';

const gatehouse = await startServer('bench/servers/gatehouse.ts');
const token = String(gatehouse.info['token']);
const issuer = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()).iss as string;
const jwks = `${gatehouse.url}/api/v1/system/config/jwks`;
const [joseLru, express] = await Promise.all([
  startServer('bench/servers/jose-lru-reference.ts', [jwks, issuer]),
  startServer('bench/servers/express-reference.ts', [jwks, issuer]),
]);
const auth = { authorization: `Bearer ${token}` };
// Same request size without credentials: separates HTTP parsing of a ~1 KB header from the authentication work.
const padded = { 'x-padding': `Bearer ${token}` };
try {
  console.log(setupLine('bearer'));
  const runs: Record<'me' | 'health' | 'lru' | 'express' | 'version' | 'versionPadded', Measured[]> = {
    me: [], health: [], lru: [], express: [], version: [], versionPadded: [],
  };
  // Interleaved rounds, so drift of the shared machine hits every variant alike; each round gives its own ratios.
  for (let r = 0; r < ROUNDS; r++) {
    console.log(`round ${r + 1}`);
    runs.me.push(await measure('gatehouse loggedInUser, bot token (cached)', gatehouse, '/api/v1/users/loggedInUser', { headers: auth }));
    runs.health.push(await measure('gatehouse /healthz, same-size header', gatehouse, '/healthz', { headers: padded }));
    runs.lru.push(await measure('fastify + jose + LRU, loggedInUser, same token', joseLru, '/api/v1/users/loggedInUser', { headers: auth }));
    runs.express.push(await measure('express + express-jwt + jwks-rsa, loggedInUser, same token', express, '/api/v1/users/loggedInUser', { headers: auth }));
    runs.version.push(await measure('gatehouse /system/version, bot token', gatehouse, '/api/v1/system/version', { headers: auth }));
    runs.versionPadded.push(await measure('gatehouse /system/version, no credentials, same-size header', gatehouse, '/api/v1/system/version', { headers: padded }));
  }
  console.log('');
  console.log(ratioLine('loggedInUser (bot token) / healthz, same server, same header size', '>= 0.85', runs.me, runs.health));
  console.log(ratioLine('loggedInUser / fastify + jose + LRU reference', '>= 1.0', runs.me, runs.lru));
  console.log(ratioLine('loggedInUser / express + express-jwt + jwks-rsa', '>= 6', runs.me, runs.express));
  console.log(ratioLine('/system/version with the token / without (same-size header)', '>= 0.85', runs.version, runs.versionPadded));
} finally {
  for (const s of [gatehouse, joseLru, express]) s.stop();
}
