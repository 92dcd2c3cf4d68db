import type { FastifyRequest } from 'fastify';
import { canonicalTarget, chooseUpstream, type AccessPolicy, type GatewayCheck, type UpstreamTable } from '../../gateway/index.js';

/**
 * The built-in proxy's verdict: the forward-auth endpoints' one gateway check (access rules, identity headers, signed
 * assertion), read for a request that reaches Gatehouse directly.
 */
export type ProxyVerdict =
  | { outcome: 'allow'; headers: Record<string, string> }
  | { outcome: 'deny-unauthenticated'; signIn: string }
  | { outcome: 'forbidden'; refused?: string };

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
    if (verdict.outcome === 'allow') return { outcome: 'allow', headers: verdict.headers };
    if (verdict.outcome === 'forbidden') return { outcome: 'forbidden', ...(verdict.refused ? { refused: verdict.refused } : {}) };
    return { outcome: 'deny-unauthenticated', signIn: verdict.signInUrl };
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
