import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

/** What the test provider does wrong (or right); change fields between steps of a test. */
export interface Behaviour {
  /** good: published key; wrong-key: another key under the published kid; unknown-kid: a kid not in the JWKS; none: alg none; hs256: HMAC with the client id. */
  sign: 'good' | 'wrong-key' | 'unknown-kid' | 'none' | 'hs256';
  iss?: string;
  aud?: string | string[];
  azp?: string;
  /** Replace the nonce (null: leave it out). */
  nonce?: string | null;
  expOffsetSeconds: number;
  iatOffsetSeconds: number;
  omitSub?: boolean;
  sub: string;
  sid?: string;
  userinfoSub?: string;
  discoveryIssuer?: string;
  groups?: string | string[];
  extraClaims?: Record<string, unknown>;
  tokenError?: string;
  refreshError?: string;
  authorizeError?: string;
  /** RFC 9207 iss on the callback (a value, or true for the real issuer). */
  callbackIss?: string | true;
  /** Return an ID token from refresh too. */
  refreshIdToken?: boolean;
  /** Answer the refresh grant with this raw body (not JSON) and status, as a broken proxy or provider would. */
  refreshRaw?: { status: number; body: string };
  /** Compare Basic credentials without URL-decoding them (as some providers do, against RFC 6749 2.3.1). */
  basicNotDecoded?: boolean;
}

export interface HostileIdpOptions {
  clientId: string;
  clientSecret?: string;
  authMethod: 'none' | 'client_secret_basic' | 'client_secret_post';
  /** The provider's idea of now (ms); default Date.now. */
  now?: () => number;
}

export interface HostileIdp {
  readonly issuer: string;
  readonly behaviour: Behaviour;
  readonly counts: { jwks: number; token: number; refresh: number; userinfo: number };
  /** Plays the browser at /auth: returns the callback URL the provider redirects to. */
  authorize(authorizationUrl: string): Promise<string>;
  /** Signs any claims with the published key (for logout tokens and unit tests). */
  sign(claims: JWTPayload, header?: Record<string, unknown>, key?: 'good' | 'wrong-key' | 'unknown-kid'): Promise<string>;
  /** Refresh tokens currently valid (rotation check). */
  liveRefreshTokens(): string[];
  close(): Promise<void>;
}

const b64u = (value: string | Buffer) => Buffer.from(value).toString('base64url');
const random = () => randomBytes(16).toString('base64url');

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

/** A small, configurable OIDC provider (node:http + jose) with OneLogin's paths, for hostile-provider tests. */
export async function startHostileIdp(options: HostileIdpOptions): Promise<HostileIdp> {
  const now = options.now ?? Date.now;
  const keys = {
    good: await generateKeyPair('RS256', { extractable: true }),
    'wrong-key': await generateKeyPair('RS256'),
    'unknown-kid': await generateKeyPair('RS256'),
  };
  const kids = { good: 'key-1', 'wrong-key': 'key-1', 'unknown-kid': 'key-rotated-2' };
  const publicJwk: JWK = { ...(await exportJWK(keys.good.publicKey)), kid: kids.good, alg: 'RS256', use: 'sig' };
  const behaviour: Behaviour = { sign: 'good', expOffsetSeconds: 300, iatOffsetSeconds: 0, sub: 'user-123' };
  const counts = { jwks: 0, token: 0, refresh: 0, userinfo: 0 };
  const codes = new Map<string, { nonce: string; challenge: string; redirectUri: string }>();
  const refreshTokens = new Set<string>();
  const accessTokens = new Set<string>();
  let issuer = '';

  async function sign(claims: JWTPayload, header: Record<string, unknown> = {}, key: keyof typeof keys = 'good'): Promise<string> {
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: kids[key], ...header }).sign(keys[key].privateKey as CryptoKey);
  }

  async function idToken(nonce: string | undefined): Promise<string> {
    const t = Math.floor(now() / 1000);
    const claims: JWTPayload = {
      iss: behaviour.iss ?? issuer, aud: behaviour.aud ?? options.clientId, sub: behaviour.sub,
      iat: t + behaviour.iatOffsetSeconds, exp: t + behaviour.expOffsetSeconds, email: `${behaviour.sub}@example.com`,
      ...(behaviour.azp !== undefined ? { azp: behaviour.azp } : {}), ...(behaviour.sid ? { sid: behaviour.sid } : {}),
      ...(behaviour.groups !== undefined ? { groups: behaviour.groups } : {}), ...behaviour.extraClaims,
    };
    const chosenNonce = behaviour.nonce === undefined ? nonce : behaviour.nonce;
    if (chosenNonce !== null && chosenNonce !== undefined) claims.nonce = chosenNonce;
    if (behaviour.omitSub) delete claims.sub;
    if (behaviour.sign === 'none') return `${b64u(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${b64u(JSON.stringify(claims))}.`;
    if (behaviour.sign === 'hs256') {
      return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: kids.good }).sign(new TextEncoder().encode(options.clientId.padEnd(32, 'x')));
    }
    return sign(claims, {}, behaviour.sign);
  }

  function clientAuthOk(req: IncomingMessage, form: URLSearchParams): boolean {
    const basic = req.headers.authorization?.startsWith('Basic ') ? Buffer.from(req.headers.authorization.slice(6), 'base64').toString() : undefined;
    const bodySecret = form.get('client_secret');
    if (basic !== undefined && bodySecret !== null) return false; // both ways is an error (as at OneLogin)
    if (options.authMethod === 'none') return basic === undefined && bodySecret === null && form.get('client_id') === options.clientId;
    if (options.authMethod === 'client_secret_post') return form.get('client_id') === options.clientId && bodySecret === options.clientSecret;
    const decode = (part: string) => (behaviour.basicNotDecoded ? part : decodeURIComponent(part.replace(/\+/g, ' ')));
    const colon = (basic ?? '').indexOf(':');
    const [id, secret] = colon < 0 ? [basic ?? '', ''] : [decode((basic ?? '').slice(0, colon)), decode((basic ?? '').slice(colon + 1))];
    return id === options.clientId && secret === options.clientSecret;
  }

  async function tokens(nonce: string | undefined, withIdToken: boolean): Promise<Record<string, unknown>> {
    const access = random();
    const refresh = random();
    accessTokens.add(access);
    refreshTokens.add(refresh);
    return { access_token: access, token_type: 'Bearer', expires_in: 3600, refresh_token: refresh, ...(withIdToken ? { id_token: await idToken(nonce) } : {}) };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', issuer);
    const path = url.pathname.replace(/^\/oidc\/2/, '');
    if (path === '/.well-known/openid-configuration') {
      return send(res, 200, {
        issuer: behaviour.discoveryIssuer ?? issuer, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token`,
        userinfo_endpoint: `${issuer}/me`, jwks_uri: `${issuer}/certs`, end_session_endpoint: `${issuer}/logout`,
        response_types_supported: ['code'], id_token_signing_alg_values_supported: ['RS256', 'none', 'HS256'],
        code_challenge_methods_supported: ['S256'], token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'],
      });
    }
    if (path === '/certs') {
      counts.jwks += 1;
      return send(res, 200, { keys: [publicJwk] });
    }
    if (path === '/auth') {
      const q = url.searchParams;
      const redirect = new URL(q.get('redirect_uri') ?? 'http://invalid/');
      const state = q.get('state') ?? '';
      if (q.get('client_id') !== options.clientId || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) {
        redirect.search = new URLSearchParams({ error: 'invalid_request', state }).toString();
      } else if (behaviour.authorizeError) {
        redirect.search = new URLSearchParams({ error: behaviour.authorizeError, error_description: 'Access <b>denied</b>', state }).toString();
      } else {
        const code = random();
        codes.set(code, { nonce: q.get('nonce') ?? '', challenge: q.get('code_challenge') ?? '', redirectUri: redirect.href });
        redirect.search = new URLSearchParams({ code, state }).toString();
      }
      if (behaviour.callbackIss !== undefined) redirect.searchParams.set('iss', behaviour.callbackIss === true ? issuer : behaviour.callbackIss);
      res.writeHead(302, { location: redirect.href });
      return void res.end();
    }
    if (path === '/token' && req.method === 'POST') {
      const form = await readForm(req);
      if (!clientAuthOk(req, form)) return send(res, 401, { error: 'invalid_client' });
      if (form.get('grant_type') === 'refresh_token') {
        counts.refresh += 1;
        const presented = form.get('refresh_token') ?? '';
        if (behaviour.refreshError) return send(res, 400, { error: behaviour.refreshError });
        if (behaviour.refreshRaw) {
          res.writeHead(behaviour.refreshRaw.status, { 'content-type': 'text/html' });
          return void res.end(behaviour.refreshRaw.body);
        }
        if (!refreshTokens.delete(presented)) return send(res, 400, { error: 'invalid_grant' });
        return send(res, 200, await tokens(undefined, behaviour.refreshIdToken === true));
      }
      counts.token += 1;
      if (behaviour.tokenError) return send(res, 400, { error: behaviour.tokenError });
      const grant = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (!grant || grant.challenge !== challenge || grant.redirectUri !== form.get('redirect_uri')) return send(res, 400, { error: 'invalid_grant' });
      return send(res, 200, await tokens(grant.nonce, true));
    }
    if (path === '/me') {
      counts.userinfo += 1;
      const token = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
      if (!accessTokens.has(token)) return send(res, 401, { error: 'invalid_token' }, { 'www-authenticate': 'Bearer error="invalid_token"' });
      return send(res, 200, { sub: behaviour.userinfoSub ?? behaviour.sub, email: `${behaviour.sub}@example.com`, preferred_username: behaviour.sub, ...(behaviour.groups !== undefined ? { groups: behaviour.groups } : {}) });
    }
    send(res, 404, { error: 'not_found' });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => send(res, 500, { error: 'server_error', detail: String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oidc/2`;

  return {
    get issuer() {
      return issuer;
    },
    behaviour,
    counts,
    async authorize(authorizationUrl) {
      const response = await fetch(authorizationUrl, { redirect: 'manual' });
      const location = response.headers.get('location');
      if (response.status !== 302 || !location) throw new Error(`authorize answered ${response.status}`);
      return location;
    },
    sign,
    liveRefreshTokens: () => [...refreshTokens],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
