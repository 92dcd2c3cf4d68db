import { decodeJwt, decodeProtectedHeader, jwtVerify, type JWTPayload, type ProtectedHeaderParameters } from 'jose';
import { DEFAULTS } from '../../config/index.js';
import { createRemoteJwks } from '../../jwks/index.js';
import { EXTERNAL_TOKEN_ALGORITHMS, OWN_TOKEN_ALGORITHMS, systemClock } from '../../shared/index.js';
import { findClaimProblems, type TokenKind } from '../../tokens/index.js';
import { parseCommandArgs } from '../args.js';
import type { CliCommand, CliIo } from '../command.js';

/** One explained check: ok true (PASS), false (FAIL) or null (SKIP: could not be checked). */
export interface TokenCheck {
  name: string;
  ok: boolean | null;
  detail: string;
}

export interface InspectOptions {
  /** JWKS to verify against; default <server>/api/v1/system/config/jwks. */
  jwksUrl?: string | undefined;
  /** A Gatehouse base URL: its JWKS, and its own verdict (which knows about revocation). */
  server?: string | undefined;
  issuer?: string | undefined;
  audience?: string | undefined;
  skewSeconds: number;
  /** Current time in ms. */
  now: number;
}

/** Every algorithm the server could accept for some token (own or a trusted issuer's); the same table it uses. */
const ACCEPTED_ALGORITHMS = [...new Set([...OWN_TOKEN_ALGORITHMS, ...EXTERNAL_TOKEN_ALGORITHMS])];

/**
 * Own tokens carry OpenMetadata's tokenType / isBot claims; providers' tokens never do. Offline that is the only hint
 * (the server decides by its configured issuer).
 */
function kindOf(claims: JWTPayload): TokenKind {
  return claims['tokenType'] !== undefined || claims['isBot'] !== undefined ? 'own' : 'external';
}

function headerChecks(header: ProtectedHeaderParameters, checks: TokenCheck[]): void {
  const alg = String(header.alg);
  const why = alg === 'none' ? ' ("none" means unsigned: never accepted)' : alg.startsWith('HS') ? ' (HMAC: never accepted, it would let anyone holding the public key sign)' : '';
  checks.push({ name: 'algorithm', ok: ACCEPTED_ALGORITHMS.includes(alg), detail: `alg ${alg}${why}; allowed: ${OWN_TOKEN_ALGORITHMS.join('/')} (own tokens), ${EXTERNAL_TOKEN_ALGORITHMS.join('/')} as configured for external issuers` });
  checks.push({ name: 'kid', ok: typeof header.kid === 'string' && header.kid !== '', detail: header.kid ? `kid ${header.kid}` : 'no kid in the header (required)' });
  if (header.crit !== undefined) checks.push({ name: 'crit', ok: false, detail: `crit ${JSON.stringify(header.crit)}: refused` });
  const pointers = (['jku', 'x5u', 'jwk', 'x5c'] as const).filter((h) => header[h] !== undefined);
  if (pointers.length) checks.push({ name: 'key pointers', ok: null, detail: `${pointers.join(', ')} ignored: keys come only from Gatehouse's ring or configured JWKS URLs` });
}

async function signatureChecks(token: string, header: ProtectedHeaderParameters, jwksUrl: string, checks: TokenCheck[]): Promise<void> {
  if (typeof header.kid !== 'string') return;
  let fetchError = '';
  // The server's own JWKS client: same timeout, size limit and redirect refusal.
  const remote = createRemoteJwks({ clock: systemClock, algorithms: EXTERNAL_TOKEN_ALGORITHMS, logger: { info() {}, debug() {}, error() {}, warn: (o) => { fetchError = String((o as { err?: unknown }).err ?? ''); } } });
  const key = await remote.getKey(jwksUrl, header.kid);
  if (fetchError) {
    checks.push({ name: 'key', ok: null, detail: `could not fetch ${jwksUrl}: ${fetchError}` });
    return;
  }
  if (!key) {
    const known = remote.known()[jwksUrl] ?? [];
    checks.push({ name: 'key', ok: false, detail: `kid not in ${jwksUrl} (known: ${known.join(', ') || 'none'}); the key may be retired, or the token is from another issuer` });
    return;
  }
  checks.push({ name: 'key', ok: true, detail: `found in ${jwksUrl}` });
  try {
    // Times are explained separately below; here only the signature matters.
    await jwtVerify(token, key, { algorithms: ACCEPTED_ALGORITHMS, clockTolerance: Number.MAX_SAFE_INTEGER });
    checks.push({ name: 'signature', ok: true, detail: 'verifies with that key' });
  } catch (error) {
    checks.push({ name: 'signature', ok: false, detail: `does not verify: ${(error as Error).message}` });
  }
}

function claimChecks(claims: JWTPayload, options: InspectOptions, checks: TokenCheck[]): void {
  const now = Math.floor(options.now / 1000);
  const skew = options.skewSeconds;
  if (options.issuer) checks.push({ name: 'issuer', ok: claims.iss === options.issuer, detail: `iss ${String(claims.iss)}, expected ${options.issuer}` });
  else checks.push({ name: 'issuer', ok: null, detail: `iss ${String(claims.iss)} (give --issuer to compare; Gatehouse's own is JWT_ISSUER, default open-metadata.org)` });
  if (options.audience) {
    const aud = Array.isArray(claims.aud) ? claims.aud : claims.aud ? [claims.aud] : [];
    checks.push({ name: 'audience', ok: aud.includes(options.audience), detail: `aud ${JSON.stringify(claims.aud)}, expected ${options.audience}` });
  }
  // The server's own list of claim types and rules (src/tokens/claim-checks.ts), so the two verdicts cannot drift.
  const kind = kindOf(claims);
  const problems = findClaimProblems(claims, kind);
  const described = kind === 'own' ? 'as a Gatehouse token' : "as a trusted issuer's token";
  checks.push(problems.length
    ? { name: 'claims', ok: false, detail: `${described}: ${problems.map((p) => `${p.claim} ${p.problem}`).join('; ')}` }
    : { name: 'claims', ok: true, detail: `types and required claims as expected ${described}` });
  if (typeof claims.exp === 'number') {
    const left = claims.exp - now;
    checks.push({ name: 'expiry', ok: left + skew > 0, detail: left > 0 ? `expires in ${left} s (${new Date(claims.exp * 1000).toISOString()})` : `expired ${-left} s ago (tolerance ${skew} s)` });
  } else checks.push({ name: 'expiry', ok: !problems.some((p) => p.claim === 'exp'), detail: 'no exp: allowed only for Unlimited bot and personal tokens' });
  if (typeof claims.nbf === 'number') checks.push({ name: 'not before', ok: claims.nbf - skew <= now, detail: `nbf ${new Date(claims.nbf * 1000).toISOString()}` });
  if (typeof claims.iat === 'number' && claims.iat - skew > now) checks.push({ name: 'issued at', ok: false, detail: `iat ${new Date(claims.iat * 1000).toISOString()} is in the future: check the issuer's clock` });
}

async function askServer(server: string, token: string, checks: TokenCheck[]): Promise<void> {
  try {
    const res = await fetch(`${server.replace(/\/$/, '')}/api/v1/users/loggedInUser`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5000), redirect: 'error' });
    const body = (await res.json().catch(() => ({}))) as { code?: string; message?: string; name?: string };
    checks.push(res.ok
      ? { name: 'server verdict', ok: true, detail: `accepted as user "${body.name ?? '?'}" (not revoked)` }
      : { name: 'server verdict', ok: false, detail: `refused: ${body.code ?? res.status} ${body.message ?? ''} (see docs/tokens.md, Troubleshooting)` });
  } catch (error) {
    checks.push({ name: 'server verdict', ok: null, detail: `could not ask ${server}: ${(error as Error).message}` });
  }
}

/** Decodes a token and explains every check Gatehouse would make. Throws only when the text is not a JWS JWT at all. */
export async function inspectToken(token: string, options: InspectOptions): Promise<{ header: ProtectedHeaderParameters; claims: JWTPayload; checks: TokenCheck[] }> {
  const header = decodeProtectedHeader(token);
  const claims = decodeJwt(token);
  const checks: TokenCheck[] = [];
  headerChecks(header, checks);
  const jwksUrl = options.jwksUrl ?? (options.server ? `${options.server.replace(/\/$/, '')}/api/v1/system/config/jwks` : undefined);
  if (jwksUrl) await signatureChecks(token, header, jwksUrl, checks);
  else checks.push({ name: 'signature', ok: null, detail: 'not checked: give --server or --jwks' });
  claimChecks(claims, options, checks);
  if (options.server) await askServer(options.server, token, checks);
  else checks.push({ name: 'revocation', ok: null, detail: 'cannot check offline: give --server to ask Gatehouse' });
  return { header, claims, checks };
}

function report(io: CliIo, checks: readonly TokenCheck[]): void {
  io.out('');
  for (const c of checks) io.out(`${c.ok === true ? 'PASS' : c.ok === false ? 'FAIL' : 'SKIP'}  ${c.name.padEnd(15)} ${c.detail}`);
  const failed = checks.filter((c) => c.ok === false);
  io.out(failed.length ? `\nThe token would be REFUSED (${failed.map((c) => c.name).join(', ')}).` : '\nNo check failed.');
}

/**
 * `gatehouse token inspect <jwt> [--server URL] [--jwks URL] [--issuer ISS] [--audience AUD] [--skew 60]`: decodes a
 * token and explains, check by check, whether and why it would be accepted. Exit 1 when a check fails.
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
    const skew = Number(values.skew ?? DEFAULTS['authentication.clockSkewSeconds']);
    if (!token || !Number.isInteger(skew) || skew < 0) {
      io.err(`Usage: ${tokenInspectCommand.usage}`);
      return 2;
    }
    let result: Awaited<ReturnType<typeof inspectToken>>;
    try {
      result = await inspectToken(token, { jwksUrl: values.jwks, server: values.server, issuer: values.issuer, audience: values.audience, skewSeconds: skew, now: Date.now() });
    } catch (error) {
      io.err(`Not a JWT: ${(error as Error).message}`);
      return 1;
    }
    io.out(`Header: ${JSON.stringify(result.header)}`);
    io.out(`Claims: ${JSON.stringify(result.claims, null, 2)}`);
    report(io, result.checks);
    return result.checks.some((c) => c.ok === false) ? 1 : 0;
  },
};
