import type { FastifyRequest } from 'fastify';
import { canonicalTarget, chooseUpstream, safeReturnTarget, type AccessPolicy, type GatewayCheck, type UpstreamTable } from '../../gateway/index.js';

/**
 * The built-in proxy's verdict: the forward-auth endpoints' one gateway check (access rules, identity headers, signed
 * assertion), read for a request that reaches Gatehouse directly.
 */
export type ProxyVerdict =
  | { outcome: 'allow'; headers: Record<string, string> }
  | { outcome: 'deny-unauthenticated'; signIn: string }
  | { outcome: 'forbidden'; refused?: string };

const SIGN_IN = '/signin';

export type ProxyCheck = (request: FastifyRequest) => Promise<ProxyVerdict>;

export interface ProxyCheckInput {
  readonly gateway: GatewayCheck;
  /** server.trustProxy: only then is the client's X-Forwarded-Host the proxy's own. */
  readonly trustForwardedHost: boolean;
}

/** Judges a request as the upstream will read it, with the principal the authentication hook resolved. */
export function createProxyCheck(input: ProxyCheckInput): ProxyCheck {
  return async (request) => {
    // A bootstrap admin who must still change the password has not finished signing in.
    const principal = request.principal && !request.principal.mustChangePassword ? request.principal : null;
    const verdict = await input.gateway.check({
      method: request.method,
      host: request.headers.host ?? '',
      target: request.url,
      headers: request.headers,
      trustForwardedHost: input.trustForwardedHost,
      proto: request.protocol === 'https' ? 'https' : 'http',
      bearer: request.headers.authorization !== undefined,
    }, principal);
    // Empty identity headers exist for Caddy's sake (it writes placeholder text for a missing one); this proxy just omits them.
    if (verdict.outcome === 'allow') return { outcome: 'allow', headers: Object.fromEntries(Object.entries(verdict.headers).filter(([, v]) => v !== '')) };
    if (verdict.outcome === 'forbidden') return { outcome: 'forbidden', ...(verdict.refused ? { refused: verdict.refused } : {}) };
    // Same origin: the way back is a plain path (an odd one signs in without a return target), no bounce needed.
    const back = safeReturnTarget(request.url, { patterns: [] });
    return { outcome: 'deny-unauthenticated', signIn: back ? `${SIGN_IN}?returnTo=${encodeURIComponent(back)}` : SIGN_IN };
  };
}

/** The upstream for a request: chosen by the canonical path, so routing and judging read the path the same way. */
export function upstreamFor(request: FastifyRequest, table: UpstreamTable, policy: AccessPolicy, trustForwardedHost: boolean): string | null {
  const target = canonicalTarget({
    method: request.method,
    host: request.headers.host ?? '',
    target: request.url,
    headers: request.headers,
    trustForwardedHost,
    caseInsensitive: policy.caseInsensitive,
  });
  return chooseUpstream(target.path, table);
}
