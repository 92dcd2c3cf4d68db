import type { FastifyRequest } from 'fastify';
import { canonicalTarget, chooseUpstream, proxyIdentityHeaders, safeReturnTarget, type AccessPolicy, type UpstreamTable } from '../../gateway/index.js';

/**
 * The one decision the built-in proxy asks for. The forward-auth endpoint answers the same question for other
 * proxies; keeping it a single function lets both share it.
 */
export type ProxyVerdict =
  | { outcome: 'allow'; headers: Record<string, string> }
  | { outcome: 'deny-unauthenticated'; signIn?: string }
  | { outcome: 'forbidden' };

export type ProxyCheck = (request: FastifyRequest) => Promise<ProxyVerdict>;

export interface ProxyCheckInput {
  readonly policy: AccessPolicy;
  /** server.trustProxy: only then is the client's X-Forwarded-Host the proxy's own. */
  readonly trustForwardedHost: boolean;
  /** Where Gatehouse's sign-in page is (/signin). */
  readonly signInPath: string;
}

/**
 * Judges a request as the upstream will read it (canonicalTarget; a target that could be read two ways throws
 * GATEWAY_TARGET_REFUSED) against the access rules, with the principal the authentication hook resolved.
 */
export function createProxyCheck(input: ProxyCheckInput): ProxyCheck {
  return async (request) => {
    const target = canonicalTarget({
      method: request.method,
      host: request.headers.host ?? '',
      target: request.url,
      headers: request.headers,
      trustForwardedHost: input.trustForwardedHost,
      caseInsensitive: input.policy.caseInsensitive,
    });
    // A bootstrap admin who must still change the password has not finished signing in.
    const principal = request.principal && !request.principal.mustChangePassword ? request.principal : null;
    const decision = input.policy.decide(target, principal ? { roles: principal.roles, isAdmin: principal.isAdmin } : null);
    if (decision.outcome === 'allow') return { outcome: 'allow', headers: proxyIdentityHeaders(principal) };
    if (decision.outcome === 'forbidden') return { outcome: 'forbidden' };
    // Only a same-origin path comes back (the sign-in return rule); anything odd signs in without a return target.
    const back = safeReturnTarget(request.url, { patterns: [] });
    return { outcome: 'deny-unauthenticated', signIn: back ? `${input.signInPath}?returnTo=${encodeURIComponent(back)}` : input.signInPath };
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
