import { Type } from 'typebox';
import { GatehouseError } from '../../errors/index.js';
import type { Session } from '../../sessions/index.js';
import { sessionCookie } from '../../sessions/index.js';
import { SessionOut } from '../api-schemas.js';
import type { App } from '../app-types.js';
import { auditContext } from '../audit-context.js';
import { principalOf } from '../authenticate.js';
import type { AppDeps } from '../deps.js';
import { omUser, shapingFor } from '../openmetadata/entities.js';
import { errors, IdParams, Strict, UserOut } from '../schemas.js';
import { INPUT_LIMITS as LIMIT } from '../../shared/index.js';
import { providerNames, userFacts } from '../user-facts.js';

function toSessionOut(s: Session, currentId: string | null, providerName: string | undefined) {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    id: s.id, createdAt: iso(s.createdAt), lastSeenAt: iso(s.lastSeenAt), expiresAt: iso(s.expiresAt),
    userAgent: s.userAgent, ip: s.ip, providerId: s.providerId, ...(providerName ? { providerName } : {}), current: s.id === currentId,
  };
}

/** Browser sessions: password sign-in for the web UI, listing and ending one's own sessions, admins ending a user's. */
export function registerSessionRoutes(app: App, deps: AppDeps): void {
  const tags = ['sessions'];
  const publicUrl = deps.config.server.publicUrl;
  const describe = userFacts(deps);
  const providerName = providerNames(deps);

  app.post(
    '/api/v1/auth/basic',
    {
      config: { auth: 'public' },
      schema: { tags, body: Strict({ username: Type.String({ minLength: 1, maxLength: LIMIT.signInName }), password: Type.String({ minLength: 1, maxLength: LIMIT.password }) }), response: { 200: Type.Object({ user: UserOut }), ...errors(400, 401, 403, 429, 503) } },
    },
    async (request, reply) => {
      // Login CSRF: a foreign page must not sign a victim's browser into the attacker's account.
      const header = (name: string) => {
        const v = request.headers[name];
        return Array.isArray(v) ? v[0] : v;
      };
      if (!deps.authenticator.isSameOriginRequest({ method: 'POST', origin: header('origin'), secFetchSite: header('sec-fetch-site'), requestedWith: header('x-requested-with') })) {
        throw new GatehouseError('AUTH_CSRF');
      }
      if (!deps.config.authentication.basic.enabled) throw new GatehouseError('AUTH_BASIC_DISABLED');
      const context = auditContext(request);
      const { user, details } = await deps.basicSignIn.verifyCredentials(request.body.username, request.body.password, context);
      const signedIn = await deps.signIns.signedIn({
        user: { id: user.id, name: user.name }, context, previousSessionSecret: request.cookies[sessionCookie(publicUrl).name], details,
      });
      void reply.setCookie(signedIn.cookie.name, signedIn.secret, signedIn.cookie.options);
      const view = await deps.users.get(user.id);
      if (!view) throw new GatehouseError('AUTH_REQUIRED');
      // The web UI's own sign-in: it reads Gatehouse's fields too.
      return { user: omUser(view, shapingFor(deps.config, true, describe)) };
    },
  );

  app.get(
    '/api/v1/auth/sessions',
    { config: { permission: 'session:manageOwn' }, schema: { tags, response: { 200: Type.Object({ data: Type.Array(SessionOut) }) } } },
    async (request) => {
      const principal = principalOf(request);
      const list = await deps.sessions.listForUser(principal.userId);
      return { data: list.map((s) => toSessionOut(s, request.sessionId, providerName(s.providerId))) };
    },
  );

  app.delete(
    '/api/v1/auth/sessions/:id',
    { config: { permission: 'session:manageOwn' }, schema: { tags, params: IdParams, response: { 204: Type.Null(), ...errors(404) } } },
    async (request, reply) => {
      const principal = principalOf(request);
      // Scoped to the caller's own sessions: another user's session id is simply "not found".
      if (!(await deps.sessions.revokeSession(request.params.id, principal.userId))) throw new GatehouseError('NOT_FOUND', 'No such session.');
      await deps.audit.record(auditContext(request), { type: 'session.end', outcome: 'success', target: { type: 'session', id: request.params.id } });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/sessions/revoke-others',
    { config: { permission: 'session:manageOwn' }, schema: { tags, response: { 200: Type.Object({ ended: Type.Integer() }) } } },
    async (request) => {
      const principal = principalOf(request);
      const ended = await deps.sessions.revokeAllForUser(principal.userId, request.sessionId ?? undefined);
      await deps.audit.record(auditContext(request), { type: 'session.end-others', outcome: 'success', target: { type: 'user', id: principal.userId, name: principal.name }, details: { ended } });
      return { ended };
    },
  );

  app.get(
    '/api/v1/users/:id/sessions',
    { config: { permission: 'user:manage' }, schema: { tags, params: IdParams, response: { 200: Type.Object({ data: Type.Array(SessionOut) }) } } },
    async (request) => ({ data: (await deps.sessions.listForUser(request.params.id)).map((s) => toSessionOut(s, request.sessionId, providerName(s.providerId))) }),
  );

  app.delete(
    '/api/v1/users/:id/sessions',
    { config: { permission: 'user:manage' }, schema: { tags, params: IdParams, response: { 200: Type.Object({ ended: Type.Integer() }) } } },
    async (request) => {
      // Every sign-in of the user: browser sessions, and the API's password sign-ins with their access tokens.
      const sessions = await deps.sessions.revokeAllForUser(request.params.id);
      const signIns = await deps.basicSignIn.endAllSignIns(request.params.id);
      await deps.audit.record(auditContext(request), { type: 'session.end-all', outcome: 'success', target: { type: 'user', id: request.params.id }, details: { ended: sessions, signIns } });
      return { ended: sessions + signIns };
    },
  );
}
