import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { GatehouseError, isGatehouseError } from '../../errors/index.js';
import { safeReturnTarget, type GatewayVerdict } from '../../gateway/index.js';
import type { App } from '../app-types.js';
import { auditContext } from '../audit-context.js';
import type { AppDeps } from '../deps.js';
import { errorBody, sendError } from '../error-reply.js';
import { GATEWAY_PATHS, gatewayRequestOf, SIGNIN_HEADER, type ProxyFamily } from './gateway-requests.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
/** Where people land after sign-in when the return target is missing or refused. */
const HOME = '/';

/**
 * The forward-auth endpoints (one per proxy family) and the return bounce. The authentication hook has already
 * resolved the session cookie or bearer token with the API's rules (route config auth: public); here only the access
 * rules decide. nginx accepts only 2xx, 401 and 403 from an auth endpoint (anything else becomes a 500), so every other
 * refusal (a target that cannot be judged, ambiguous credentials) is a 403 with the error's code in the body.
 */
export async function registerGatewayRoutes(app: App, deps: AppDeps): Promise<void> {
  const defaultProto = deps.config.server.publicUrl.startsWith('https:') ? 'https' : 'http';

  async function refuse(request: FastifyRequest, reply: FastifyReply, verdict: Extract<GatewayVerdict, { outcome: 'forbidden' }>) {
    deps.metrics.forwardAuthDecision('forbidden');
    const target = verdict.target ? `${verdict.target.method} ${verdict.target.host}${verdict.target.path}` : null;
    const reason = verdict.refused ?? verdict.decision?.reason ?? 'refused';
    request.log.info({ target, reason }, 'gateway refused');
    // Refusals of signed-in callers are audited (path only: a query may carry secrets). Anonymous ones (and 401s) are
    // only logged: anyone could fill the audit table with them.
    if (request.principal) {
      await deps.audit.record(auditContext(request), {
        type: 'gateway.refuse', outcome: 'failure', target: { type: 'request', name: target },
        details: { reason, ...(verdict.decision?.rule ? { rule: verdict.decision.rule.index } : {}) },
      });
    }
    const code = verdict.refused ? 'GATEWAY_TARGET_REFUSED' : 'FORBIDDEN';
    return reply.status(403).header('cache-control', 'no-store').send(errorBody(code, request.id, verdict.refused ?? 'The access rules do not let you pass here.'));
  }

  async function answer(family: ProxyFamily, request: FastifyRequest, reply: FastifyReply) {
    const forwarded = gatewayRequestOf(family, request, defaultProto);
    if (!forwarded) {
      request.log.warn({ family }, 'gateway check without the original request: the proxy configuration does not send it');
      return refuse(request, reply, { outcome: 'forbidden', target: null, decision: null, refused: 'The proxy did not say which request to check (see docs/gateway.md).' });
    }
    // A principal that must first change its password has not finished signing in.
    const principal = request.principal && !request.principal.mustChangePassword ? request.principal : null;
    const verdict = await deps.gateway.check(forwarded, principal);
    void reply.header('cache-control', 'no-store');
    if (verdict.outcome === 'allow') {
      deps.metrics.forwardAuthDecision('allow');
      return reply.status(200).headers(verdict.headers).send();
    }
    if (verdict.outcome === 'forbidden') return refuse(request, reply, verdict);
    deps.metrics.forwardAuthDecision('sign-in');
    if (!verdict.apiClient) {
      // nginx cannot take a 302 from an auth endpoint: it turns this header into the redirect (deploy/gateway/nginx.conf).
      if (family === 'auth-request') void reply.header(SIGNIN_HEADER, verdict.signInUrl);
      else return reply.redirect(verdict.signInUrl, 302);
    }
    return reply.status(401).header('www-authenticate', 'Bearer realm="gatehouse"').send(errorBody('AUTH_REQUIRED', request.id));
  }

  await app.register(async (scope) => {
    // Proxies send no body (nginx: proxy_pass_request_body off); one that does is drained, never parsed.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => {
      payload.resume();
      payload.on('end', () => done(null, undefined));
    });
    // The hook's refusals (ambiguous credentials 400, refused bearer token 401) in a shape every proxy can pass on.
    scope.setErrorHandler((error, request, reply) => {
      const status = isGatehouseError(error) ? error.status : 500;
      if (status < 500 && isGatehouseError(error)) deps.metrics.forwardAuthDecision(status === 401 ? 'sign-in' : 'forbidden');
      if (status === 401 || status >= 500 || !isGatehouseError(error)) return sendError(error, request, reply);
      return sendError(new GatehouseError('FORBIDDEN', `${error.code}: ${error.detail ?? error.message}`), request, reply);
    });
    const config = { auth: 'public' as const, skipCsrf: true };
    const schema = { tags: ['gateway'], hide: false };
    for (const family of ['auth-request', 'forward-auth'] as const) {
      scope.route({
        method: [...METHODS], url: GATEWAY_PATHS[family], config,
        schema: { ...schema, summary: family === 'auth-request' ? 'Forward-auth check for nginx auth_request (2xx/401/403)' : 'Forward-auth check for Caddy and Traefik (2xx/302/401/403)' },
        handler: (request, reply) => answer(family, request, reply),
      });
    }
    for (const url of [GATEWAY_PATHS['ext-authz'], `${GATEWAY_PATHS['ext-authz']}/*`]) {
      scope.route({ method: [...METHODS], url, config, schema: { ...schema, summary: 'Forward-auth check for Envoy ext_authz (HTTP service)' }, handler: (request, reply) => answer('ext-authz', request, reply) });
    }
  });

  // After sign-in the browser comes here (a same-origin path, so every sign-in flow accepts it) and only then leaves
  // for the allow-listed original URL: the one place that decides where sign-in may send a browser off-site.
  app.get(
    '/api/v1/gateway/return',
    { config: { auth: 'public' }, schema: { tags: ['gateway'], summary: 'Back to the original URL after sign-in', querystring: Type.Object({ to: Type.Optional(Type.String({ maxLength: 2048 })) }) } },
    async (request, reply) => reply.redirect(safeReturnTarget(request.query.to, deps.gatewayReturnHosts) ?? HOME, 303),
  );
}
