import type {} from '@fastify/swagger';
import type {} from '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { Permission, Principal } from '../authz/index.js';

/** The Fastify instance every route file receives (TypeBox schemas give typed handlers). */
export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/**
 * Per-route security, read from the route that the router matched (never from the raw path), so encoded or
 * `;param` paths cannot make a protected route look public.
 * - auth: 'public' (no credentials needed; a valid one is still resolved), 'required' (default), 'own' (the route
 *   checks its own credential, e.g. /metrics's scrape token; the hook resolves nothing and refuses nothing).
 * - permission: checked with can() before the handler runs.
 * - allowWhilePasswordChangeRequired: the few routes a bootstrap admin may use before changing the password.
 * - skipCsrf: the gateway's forward-auth checks only.
 * - csrf: 'origin-only' for the built-in proxy's routes: cookie-authenticated unsafe requests need proof of origin but
 *   not the `X-Requested-With: gatehouse` header, which the upstream's own pages cannot know to send.
 */
export interface RouteSecurity {
  auth?: 'public' | 'required' | 'own';
  permission?: Permission;
  allowWhilePasswordChangeRequired?: boolean;
  /**
   * The gateway's checks judge another request (the proxied one), so the API's CSRF rule for cookie-authenticated
   * unsafe methods does not apply to them; the upstream's own CSRF defence (and the Lax session cookie) does.
   */
  skipCsrf?: boolean;
  csrf?: 'origin-only';
}

declare module 'fastify' {
  interface FastifyContextConfig extends RouteSecurity {}
  interface FastifyRequest {
    principal: Principal | null;
    /** The session id (from the cookie) when the request was authenticated by a browser session. */
    sessionId: string | null;
  }
}
