import { isGatehouseError } from '../errors/index.js';
import type { AssertionSigner } from './assertion.js';
import type { AudienceFor } from './audiences.js';
import { createCanonicalTargets, type CanonicalTarget, type ForwardedRequest } from './canonical-target.js';
import { anonymousHeaders, type GatewayIdentity } from './identity-headers.js';
import { safeReturnTarget, type ReturnHosts } from './return-target.js';
import type { AccessPolicy } from './rules.js';
import type { AccessDecision } from './rule-types.js';

/** The original request as a proxy (or the built-in proxy) describes it. */
export interface GatewayRequest extends Omit<ForwardedRequest, 'caseInsensitive'> {
  /** The original scheme (X-Forwarded-Proto); only used for the return URL and the assertion's default audience. */
  readonly proto: 'http' | 'https';
  /** Whether the client sent a bearer token (API clients never get a sign-in redirect). */
  readonly bearer: boolean;
}

export type GatewayVerdict =
  /** `headers` is shared by every request of the same principal and audience (pre-rendered): read, never change it. */
  | { readonly outcome: 'allow'; readonly target: CanonicalTarget; readonly decision: AccessDecision; readonly headers: Readonly<Record<string, string>> }
  /** Nobody is signed in and signing in could help. `signInUrl` is for browsers; API clients get a plain 401. */
  | { readonly outcome: 'sign-in'; readonly target: CanonicalTarget; readonly decision: AccessDecision; readonly signInUrl: string; readonly apiClient: boolean }
  /** Signed in but not allowed, refused for everyone, or a target that cannot be judged (`refused` then holds why). */
  | { readonly outcome: 'forbidden'; readonly target: CanonicalTarget | null; readonly decision: AccessDecision | null; readonly refused?: string };

export interface GatewayCheckDeps {
  readonly policy: AccessPolicy;
  readonly signer: AssertionSigner;
  readonly returnHosts: ReturnHosts;
  /** Gatehouse's sign-in page, e.g. "https://data.example.com/signin". */
  readonly signInPage: string;
  /** The configured audience for an upstream host (gateway.audiences); null: the origin the client asked for. */
  readonly audienceFor?: AudienceFor;
}

/**
 * A browser navigation (sign-in redirect helps) versus an API client (a 401 it can act on): a GET or HEAD that accepts
 * text/html and carries no bearer token is a browser; anything else (other methods, Accept: application/json only,
 * a bearer token) is an API client.
 */
export function isApiClient(method: string, accept: string | undefined, bearer: boolean): boolean {
  if (bearer || (method !== 'GET' && method !== 'HEAD')) return true;
  return !(accept ?? '').toLowerCase().includes('text/html');
}

function firstHeader(headers: GatewayRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : value?.[0];
}

/** The original URL for "come back here after sign-in", or null when it is not on the return allow-list. */
function returnUrl(request: GatewayRequest, allowed: ReturnHosts): string | null {
  const host = request.trustForwardedHost ? (firstHeader(request.headers, 'x-forwarded-host') ?? request.host) : request.host;
  return safeReturnTarget(`${request.proto}://${host}${request.target}`, allowed);
}

/** The upstream an assertion is for: the origin the client asked for (scheme, host and a non-default port). */
export function audienceOf(request: GatewayRequest, target: CanonicalTarget): string {
  const raw = request.trustForwardedHost ? (firstHeader(request.headers, 'x-forwarded-host') ?? request.host) : request.host;
  const port = /:(\d{1,5})$/.exec(raw)?.[1];
  const defaultPort = request.proto === 'https' ? '443' : '80';
  return `${request.proto}://${target.host}${port && port !== defaultPort ? `:${port}` : ''}`;
}

/**
 * The gateway's one decision, shared by the forward-auth endpoints and the built-in proxy: read the request as the
 * upstream will (canonicalTarget), apply the access rules to the already-authenticated principal, and say what to do.
 */
export function createGatewayCheck(deps: GatewayCheckDeps) {
  const canonicalTarget = createCanonicalTargets(deps.policy.caseInsensitive);
  return {
    async check(request: GatewayRequest, principal: GatewayIdentity | null): Promise<GatewayVerdict> {
      let target: CanonicalTarget;
      try {
        target = canonicalTarget(request);
      } catch (error) {
        if (isGatehouseError(error) && error.code === 'GATEWAY_TARGET_REFUSED') {
          return { outcome: 'forbidden', target: null, decision: null, refused: error.detail ?? error.message };
        }
        throw error;
      }
      const decision = deps.policy.decide(target, principal ? { roles: principal.roles, isAdmin: principal.isAdmin } : null);
      if (decision.outcome === 'forbidden') return { outcome: 'forbidden', target, decision };
      if (decision.outcome === 'deny-unauthenticated' || !principal) {
        const back = returnUrl(request, deps.returnHosts);
        const signInUrl = back ? `${deps.signInPage}?returnTo=${encodeURIComponent(back)}` : deps.signInPage;
        const apiClient = isApiClient(target.method, firstHeader(request.headers, 'accept'), request.bearer);
        // A public rule lets nobody-signed-in pass; it is handled below with no identity.
        if (decision.outcome === 'deny-unauthenticated') return { outcome: 'sign-in', target, decision, signInUrl, apiClient };
        return { outcome: 'allow', target, decision, headers: anonymousHeaders() };
      }
      const headers = await deps.signer.identityHeaders(principal, deps.audienceFor?.(target.host) ?? audienceOf(request, target));
      return { outcome: 'allow', target, decision, headers };
    },
  };
}

export type GatewayCheck = ReturnType<typeof createGatewayCheck>;
