// The reference stack many services use: express + express-jwt + jwks-rsa, verifying Gatehouse's tokens via its JWKS URL.
// Usage: express-reference.ts <jwksUrl> <issuer>; prints {port} when ready.
import express from 'express';
import { expressjwt, type Request as JwtRequest } from 'express-jwt';
import jwksRsa from 'jwks-rsa';

const [jwksUri, issuer] = process.argv.slice(2);
if (!jwksUri || !issuer) throw new Error('usage: express-reference.ts <jwksUrl> <issuer>');
const app = express();
const checkJwt = expressjwt({
  secret: jwksRsa.expressJwtSecret({ jwksUri, cache: true, rateLimit: true, jwksRequestsPerMinute: 10 }) as never,
  algorithms: ['RS256'],
  issuer,
});
app.get('/api/v1/system/version', checkJwt, (_req, res) => {
  res.json({ version: '0.1.0' });
});
// The same answer the jose reference gives: who the token says the caller is.
app.get('/api/v1/users/loggedInUser', checkJwt, (req: JwtRequest, res) => {
  const claims = req.auth ?? {};
  res.json({ name: claims.sub, email: claims['email'] ?? null, isBot: claims['isBot'] === true, roles: claims['roles'] ?? [] });
});
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
