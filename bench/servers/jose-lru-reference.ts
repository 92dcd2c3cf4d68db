// The 40-line reference: fastify + jose + an LRU of verified tokens, answering loggedInUser from the token's claims.
// Usage: jose-lru-reference.ts <jwksUrl> <issuer> [--no-cache]; prints {port} when ready. With --no-cache every request
// runs jose.jwtVerify (the "first use" baseline).
import Fastify from 'fastify';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';

const [jwksUrl, issuer, flag] = process.argv.slice(2);
if (!jwksUrl || !issuer) throw new Error('usage: jose-lru-reference.ts <jwksUrl> <issuer> [--no-cache]');
const jwks = createRemoteJWKSet(new URL(jwksUrl));
const lru = new Map<string, JWTPayload>();
const MAX = flag === '--no-cache' ? 0 : 10_000;

async function verified(token: string): Promise<JWTPayload> {
  const hit = lru.get(token);
  if (hit && (hit.exp === undefined || hit.exp * 1000 > Date.now())) {
    lru.delete(token); // most recently used goes last
    lru.set(token, hit);
    return hit;
  }
  const { payload } = await jwtVerify(token, jwks, { issuer, algorithms: ['RS256'] });
  if (MAX > 0) {
    if (lru.size >= MAX) lru.delete(lru.keys().next().value as string);
    lru.set(token, payload);
  }
  return payload;
}

const app = Fastify();
const User = { type: 'object', properties: { name: { type: 'string' }, email: { type: ['string', 'null'] }, isBot: { type: 'boolean' }, roles: { type: 'array', items: { type: 'string' } } } };
app.get('/api/v1/users/loggedInUser', { schema: { response: { 200: User, 401: { type: 'object', properties: { code: { type: 'string' } } } } } }, async (request, reply) => {
  const match = /^Bearer (.+)$/.exec(request.headers.authorization ?? '');
  if (!match?.[1]) return reply.status(401).send({ code: 'AUTH_REQUIRED' });
  try {
    const claims = await verified(match[1]);
    return { name: claims.sub, email: claims['email'] ?? null, isBot: claims['isBot'] === true, roles: claims['roles'] ?? [] };
  } catch {
    return reply.status(401).send({ code: 'AUTH_TOKEN_INVALID' });
  }
});
const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ port: new URL(address).port })}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
