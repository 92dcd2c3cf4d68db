import type { FastifyReply, FastifyRequest } from 'fastify';
import { can, type Principal } from '../authz/index.js';
import { GatehouseError } from '../errors/index.js';
import { CSRF_HEADER_VALUE } from '../sessions/index.js';
import type { App } from './app-types.js';
import { cookieValuesIn, credentialHeaders } from './credentials.js';

/** How a request proves who it is: the two credential kinds Gatehouse accepts. */
export interface RequestAuthenticator {
  /** Verifies a bearer token; throws a coded GatehouseError when it is refused. */
  bearer(token: string): Promise<Principal>;
  /** Resolves the session cookie's secret; undefined when there is no live session. */
  session(secret: string): Promise<{ principal: Principal; sessionId: string } | undefined>;
  readonly sessionCookieName: string;
  /** CSRF rule for cookie-authenticated unsafe requests (same origin + custom header). */
  isSameOriginRequest(request: { method: string; origin: string | undefined; secFetchSite: string | undefined; requestedWith: string | undefined }): boolean;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/;

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The single authentication point, as an onRequest hook: it runs after routing, so the decision uses the matched
 * route's declared security (see RouteSecurity), then the permission check, before any handler or body parsing.
 */
export function registerAuthentication(app: App, authenticator: RequestAuthenticator): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('sessionId', null);

  app.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
    // Unknown paths get a plain 404 from the not-found handler; nothing there needs a principal.
    if (request.is404) return;
    const security = request.routeOptions.config;
    if (security.auth === 'own') return;
    // Ambiguity is refused, never resolved by "first wins": a proxy or a browser may see another credential than we do.
    const { authorizations, cookies } = credentialHeaders(request.raw);
    if (authorizations.length > 1) throw new GatehouseError('AUTH_AMBIGUOUS_CREDENTIALS', 'Send one Authorization header.');
    const secrets = cookieValuesIn(cookies, authenticator.sessionCookieName);
    if (secrets.length > 1) throw new GatehouseError('AUTH_AMBIGUOUS_CREDENTIALS', 'The request carries two session cookies.');
    const authorization = authorizations[0];
    const secret = secrets[0];
    let principal: Principal | null = null;

    if (authorization !== undefined) {
      const match = BEARER.exec(authorization.trim());
      // A malformed or refused credential is an error even on public routes: silently ignoring it hides mistakes.
      if (!match?.[1]) throw new GatehouseError('AUTH_TOKEN_INVALID', 'Send the header as "Authorization: Bearer <jwt>".');
      principal = await authenticator.bearer(match[1]);
      // The token acts, but a live session cookie of someone else means the caller mixed up two identities.
      const alongside = secret ? await authenticator.session(secret) : undefined;
      if (alongside && alongside.principal.userId !== principal.userId) {
        throw new GatehouseError('AUTH_AMBIGUOUS_CREDENTIALS', 'The bearer token and the session cookie belong to different users.');
      }
    } else {
      const resolved = secret ? await authenticator.session(secret) : undefined;
      if (resolved) {
        principal = resolved.principal;
        request.sessionId = resolved.sessionId;
        const sameOrigin = authenticator.isSameOriginRequest({
          method: request.method,
          origin: header(request, 'origin'),
          secFetchSite: header(request, 'sec-fetch-site'),
          // Proof of origin still holds (and the session cookie is SameSite=Lax): a cross-site form or fetch is refused.
          requestedWith: security.csrf === 'origin-only' ? CSRF_HEADER_VALUE : header(request, 'x-requested-with'),
        });
        if (!SAFE_METHODS.has(request.method) && !sameOrigin && !security.skipCsrf) throw new GatehouseError('AUTH_CSRF');
      }
    }
    request.principal = principal;

    if (security.auth === 'public') return;
    if (!principal) throw new GatehouseError('AUTH_REQUIRED');
    if (principal.mustChangePassword && !security.allowWhilePasswordChangeRequired) {
      throw new GatehouseError('AUTH_PASSWORD_CHANGE_REQUIRED');
    }
    if (security.permission && !can(principal, security.permission)) {
      throw new GatehouseError('FORBIDDEN', `Missing permission ${security.permission}.`);
    }
  });
}

/** The principal of a route that requires authentication (the hook guarantees it). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new GatehouseError('AUTH_REQUIRED');
  return request.principal;
}
