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
 * - auth: 'public' (no credentials needed; a valid one is still resolved), 'required' (default).
 * - permission: checked with can() before the handler runs.
 * - allowWhilePasswordChangeRequired: the few routes a bootstrap admin may use before changing the password.
 * - skipCsrf: the gateway's forward-auth checks only.
 */
export interface RouteSecurity {
  auth?: 'public' | 'required';
  permission?: Permission;
  allowWhilePasswordChangeRequired?: boolean;
  /**
   * The gateway's checks judge another request (the proxied one), so the API's CSRF rule for cookie-authenticated
   * unsafe methods does not apply to them; the upstream's own CSRF defence (and the Lax session cookie) does.
   */
  skipCsrf?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig extends RouteSecurity {}
  interface FastifyRequest {
    principal: Principal | null;
    /** The session id (from the cookie) when the request was authenticated by a browser session. */
    sessionId: string | null;
  }
}
