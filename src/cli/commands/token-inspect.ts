import { createPublicKey } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, jwtVerify, type JWK } from 'jose';
import { parseCommandArgs } from '../args.js';
import type { CliCommand, CliIo } from '../command.js';

type Check = { name: string; ok: boolean | null; detail: string };

async function fetchJson(url: string): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000), redirect: 'error' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
}

/**
 * `gatehouse token inspect <jwt> [--server URL] [--jwks URL] [--issuer ISS] [--audience AUD]`: decodes a token and
 * explains, check by check, whether and why it would be accepted. With --server, also asks the server itself
 * (which knows about revocation).
 */
export const tokenInspectCommand: CliCommand = {
  name: 'token inspect',
  summary: 'Explain whether a JWT would be accepted, check by check',
  usage: 'gatehouse token inspect <jwt> [--server http://127.0.0.1:8585] [--jwks URL] [--issuer ISS] [--audience AUD] [--skew 60]',
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      server: { type: 'string' }, jwks: { type: 'string' }, issuer: { type: 'string' }, audience: { type: 'string' }, skew: { type: 'string' },
    });
    const token = positionals[0]?.replace(/^Bearer\s+/i, '').trim();
    if (!token) {
      io.err(`Usage: ${this.usage}`);
      return 2;
    }
    const checks: Check[] = [];
    let header: ReturnType<typeof decodeProtectedHeader>;
    let claims: ReturnType<typeof decodeJwt>;
    try {
      header = decodeProtectedHeader(token);
      claims = decodeJwt(token);
    } catch (error) {
      io.err(`Not a JWT: ${(error as Error).message}`);
      return 1;
    }
    io.out(`Header: ${JSON.stringify(header)}`);
    io.out(`Claims: ${JSON.stringify(claims, null, 2)}`);
    const skew = Number(values.skew ?? 60);
    const now = Math.floor(Date.now() / 1000);
    checks.push({ name: 'algorithm', ok: header.alg === 'RS256' || header.alg === 'RS384' || header.alg === 'RS512', detail: `alg ${String(header.alg)} (RS256/RS384/RS512 allowed; never none or HMAC)` });
    checks.push({ name: 'kid', ok: typeof header.kid === 'string', detail: header.kid ? `kid ${header.kid}` : 'no kid in the header' });
    const jwksUrl = values.jwks ?? (values.server ? `${values.server.replace(/\/$/, '')}/api/v1/system/config/jwks` : undefined);
    if (jwksUrl && typeof header.kid === 'string') {
      try {
        const doc = (await fetchJson(jwksUrl)) as { keys?: JWK[] };
        const jwk = doc.keys?.find((k) => k.kid === header.kid);
        if (!jwk) checks.push({ name: 'key', ok: false, detail: `kid not in ${jwksUrl} (known: ${(doc.keys ?? []).map((k) => k.kid).join(', ') || 'none'}); the key may be retired` });
        else {
          checks.push({ name: 'key', ok: true, detail: `found in ${jwksUrl}` });
          try {
            await jwtVerify(token, createPublicKey({ key: { kty: 'RSA', n: jwk.n ?? '', e: jwk.e ?? '' }, format: 'jwk' }), { algorithms: [String(header.alg)], clockTolerance: 1e9 });
            checks.push({ name: 'signature', ok: true, detail: 'verifies with that key' });
          } catch (error) {
            checks.push({ name: 'signature', ok: false, detail: `does not verify: ${(error as Error).message}` });
          }
        }
      } catch (error) {
        checks.push({ name: 'key', ok: null, detail: `could not fetch ${jwksUrl}: ${(error as Error).message}` });
      }
    } else checks.push({ name: 'signature', ok: null, detail: 'not checked: give --server or --jwks' });
    if (values.issuer) checks.push({ name: 'issuer', ok: claims.iss === values.issuer, detail: `iss ${String(claims.iss)}, expected ${values.issuer}` });
    else checks.push({ name: 'issuer', ok: null, detail: `iss ${String(claims.iss)} (give --issuer to compare; Gatehouse's own is JWT_ISSUER)` });
    if (values.audience) {
      const aud = Array.isArray(claims.aud) ? claims.aud : claims.aud ? [claims.aud] : [];
      checks.push({ name: 'audience', ok: aud.includes(values.audience), detail: `aud ${JSON.stringify(claims.aud)}, expected ${values.audience}` });
    }
    if (typeof claims.exp === 'number') {
      const left = claims.exp - now;
      checks.push({ name: 'expiry', ok: left + skew > 0, detail: left > 0 ? `expires in ${left} s (${new Date(claims.exp * 1000).toISOString()})` : `expired ${-left} s ago (tolerance ${skew} s)` });
    } else checks.push({ name: 'expiry', ok: claims.tokenType === 'BOT' || claims.tokenType === 'PERSONAL_ACCESS', detail: 'no exp: allowed only for Unlimited bot and personal tokens' });
    if (typeof claims.nbf === 'number') checks.push({ name: 'not before', ok: claims.nbf - skew <= now, detail: `nbf ${new Date(claims.nbf * 1000).toISOString()}` });
    if (values.server) await askServer(values.server, token, checks);
    else checks.push({ name: 'revocation', ok: null, detail: 'cannot check offline: give --server to ask Gatehouse' });
    report(io, checks);
    return checks.some((c) => c.ok === false) ? 1 : 0;
  },
};

async function askServer(server: string, token: string, checks: Check[]): Promise<void> {
  try {
    const res = await fetch(`${server.replace(/\/$/, '')}/api/v1/users/loggedInUser`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5000) });
    const body = (await res.json().catch(() => ({}))) as { code?: string; message?: string; name?: string };
    checks.push(res.ok
      ? { name: 'server verdict', ok: true, detail: `accepted as user "${body.name ?? '?'}" (not revoked)` }
      : { name: 'server verdict', ok: false, detail: `refused: ${body.code ?? res.status} ${body.message ?? ''} (see docs/errors.md)` });
  } catch (error) {
    checks.push({ name: 'server verdict', ok: null, detail: `could not ask ${server}: ${(error as Error).message}` });
  }
}

function report(io: CliIo, checks: Check[]): void {
  io.out('');
  for (const c of checks) io.out(`${c.ok === true ? 'PASS' : c.ok === false ? 'FAIL' : 'SKIP'}  ${c.name.padEnd(15)} ${c.detail}`);
  const failed = checks.filter((c) => c.ok === false);
  io.out(failed.length ? `\nThe token would be REFUSED (${failed.map((c) => c.name).join(', ')}).` : '\nNo check failed.');
}
