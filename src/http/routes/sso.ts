import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { GatehouseError, isGatehouseError, type ErrorCode } from '../../errors/index.js';
import { sessionCookie, transactionCookie } from '../../sessions/index.js';
import { failedCheck } from '../../sso/index.js';
import type { App } from '../app-types.js';
import { auditContext } from '../audit-context.js';
import type { AppDeps } from '../deps.js';
import { Strict } from '../schemas.js';
import { sendUiIndex } from '../static-ui.js';

/** Where the browser lands after logout: straight after a local logout, or back from the provider's logout page. */
const SIGNED_OUT = '/signed-out';

/**
 * Browser sign-in with an OIDC provider (server-side code flow with PKCE for public and confidential clients).
 * Failures never create a session: the browser goes back to /signin?error=<CODE> and the reason is logged and audited.
 */
export function registerSsoRoutes(app: App, deps: AppDeps): void {
  const { config, sso } = deps;
  const publicUrl = config.server.publicUrl;
  const txCookieName = transactionCookie(publicUrl, 0).name;
  const session = sessionCookie(publicUrl);
  const tags = ['sso'];

  // The failed ID token check (a fixed name such as "audience") goes along, so the page can say which one failed.
  const failTo = (reply: FastifyReply, code: ErrorCode, error?: unknown) => {
    const check = code === 'SSO_ID_TOKEN_INVALID' ? failedCheck(error) : undefined;
    return reply.redirect(`/signin?error=${encodeURIComponent(code)}${check ? `&check=${check}` : ''}`, 303);
  };

  async function start(request: FastifyRequest, reply: FastifyReply, providerId: string | undefined, returnTo: string | undefined) {
    const provider = providerId ?? sso.providers()[0]?.id;
    try {
      if (!provider) throw new GatehouseError('SSO_PROVIDER_UNKNOWN');
      const started = await sso.startSignIn({ providerId: provider, returnTo: returnTo ?? null, clientKey: request.ip });
      const cookie = transactionCookie(publicUrl, started.cookieMaxAgeSeconds);
      void reply.setCookie(cookie.name, started.transactionId, cookie.options);
      return reply.redirect(started.authorizationUrl, 302);
    } catch (error) {
      const code: ErrorCode = isGatehouseError(error) ? error.code : 'INTERNAL';
      // Rethrown errors are logged once by the error handler (src/http/error-reply.ts); only redirects are logged here.
      if (code === 'RATE_LIMITED' || code === 'INTERNAL') throw error;
      request.log.warn({ code, provider, internal: isGatehouseError(error) ? error.internal : undefined }, 'sign-in start failed');
      return failTo(reply, code);
    }
  }

  // OneLogin's "Login URL" (IdP-initiated sign-in) opens this page, often with ?iss=<issuer>: start the flow at once.
  app.get(
    '/signin',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        querystring: Type.Object({
          iss: Type.Optional(Type.String({ maxLength: 2048 })), target_link_uri: Type.Optional(Type.String({ maxLength: 2048 })),
          state: Type.Optional(Type.String({ maxLength: 2048 })),
        }, { additionalProperties: true }),
      },
    },
    async (request, reply) => {
      const { iss, state } = request.query;
      if (iss) {
        const provider = sso.providerForIssuer(iss);
        if (!provider) return failTo(reply, 'SSO_PROVIDER_UNKNOWN');
        return start(request, reply, provider.id, '/');
      }
      // The provider's logout returns to the post-logout URI (this page by default) with our state: say "signed out".
      if (state !== undefined) return reply.redirect(SIGNED_OUT, 303);
      return sendUiIndex(reply);
    },
  );

  app.get(SIGNED_OUT, { config: { auth: 'public' }, schema: { hide: true } }, async (_request, reply) => sendUiIndex(reply));

  app.get(
    '/api/v1/auth/login',
    {
      config: { auth: 'public' },
      schema: { tags, querystring: Strict({ provider: Type.Optional(Type.String({ maxLength: 40 })), redirectUri: Type.Optional(Type.String({ maxLength: 2048 })) }) },
    },
    async (request, reply) => start(request, reply, request.query.provider, request.query.redirectUri),
  );

  app.get('/callback', { config: { auth: 'public' }, schema: { tags, querystring: Type.Object({}, { additionalProperties: true }) } }, async (request, reply) => {
    const client = { ip: request.ip, userAgent: request.headers['user-agent'] ?? null };
    void reply.clearCookie(txCookieName, { path: '/' });
    const previous = request.cookies[session.name];
    try {
      const finished = await sso.finishSignIn({
        transactionId: request.cookies[txCookieName],
        callbackUrl: new URL(request.url, publicUrl),
        client,
        ...(previous ? { previousSessionSecret: previous } : {}),
      });
      void reply.setCookie(finished.cookie.name, finished.secret, finished.cookie.options);
      return reply.redirect(finished.returnTo, 303);
    } catch (error) {
      const code: ErrorCode = isGatehouseError(error) ? error.code : 'INTERNAL';
      const internal = isGatehouseError(error) ? error.internal : undefined;
      request.log.warn({ code, internal, err: isGatehouseError(error) ? undefined : error }, 'sign-in callback refused');
      await deps.audit.record(auditContext(request), { type: 'auth.login', outcome: 'failure', details: { method: 'sso', reason: code, ...(internal ? { internal } : {}) } });
      return failTo(reply, code, error);
    }
  });

  app.get('/api/v1/auth/refresh', { schema: { tags } }, async (request, reply) => {
    const secret = request.cookies[session.name];
    const current = secret ? await sso.resumeSession(secret) : undefined;
    if (!current) throw new GatehouseError('AUTH_REQUIRED', 'This works for browser sessions only.');
    const outcome = await sso.refreshSession(current);
    if (outcome.outcome === 'ended') {
      void reply.clearCookie(session.name, { path: '/' });
      throw new GatehouseError('SSO_REFRESH_REFUSED');
    }
    // OpenMetadata's UI reads a fresh access token here (its JwtResponse), bound to this session like /auth/login's.
    const token = await deps.basicSignIn.sessionAccessToken(current.userId, current.id);
    return { status: outcome.outcome, expiresAt: new Date(current.expiresAt).toISOString(), ...token };
  });

  const logout = async (request: FastifyRequest) => {
    const result = await sso.logout({ sessionSecret: request.cookies[session.name] });
    if (result.session) {
      await deps.audit.record({ ...auditContext(request), actorId: result.session.userId }, { type: 'auth.logout', outcome: 'success', target: { type: 'user', id: result.session.userId }, details: { method: 'session', provider: result.session.providerId } });
    }
    return result.redirectTo ?? SIGNED_OUT;
  };
  app.get('/api/v1/auth/logout', { config: { auth: 'public' }, schema: { tags } }, async (request, reply) => {
    const to = await logout(request);
    void reply.clearCookie(session.name, { path: '/' });
    return reply.redirect(to, 303);
  });
  app.post('/api/v1/auth/logout', { config: { auth: 'public' }, schema: { tags, response: { 200: Type.Object({ redirectTo: Type.String() }) } } }, async (request, reply) => {
    const redirectTo = await logout(request);
    void reply.clearCookie(session.name, { path: '/' });
    return { redirectTo };
  });
}
