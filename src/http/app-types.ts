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
 */
export interface RouteSecurity {
  auth?: 'public' | 'required' | 'own';
  permission?: Permission;
  allowWhilePasswordChangeRequired?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig extends RouteSecurity {}
  interface FastifyRequest {
    principal: Principal | null;
    /** The session id (from the cookie) when the request was authenticated by a browser session. */
    sessionId: string | null;
  }
}
