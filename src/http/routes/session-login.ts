import { Type } from 'typebox';
import { GatehouseError } from '../../errors/index.js';
import { checkLoginOrigin, sessionCookie } from '../../sessions/index.js';
import type { App } from '../app-types.js';
import { auditContext } from '../audit-context.js';
import type { AppDeps } from '../deps.js';
import { errors, Strict } from '../schemas.js';
import { INPUT_LIMITS as LIMIT } from '../../shared/index.js';
import { decodePassword } from './basic-auth.js';

/** OpenMetadata's JwtResponse for a session sign-in: no refresh token (it stays with the session, server-side). */
export const SessionTokenOut = Type.Object({
  tokenType: Type.Literal('Bearer'),
  accessToken: Type.String(),
  expiryDuration: Type.Integer(),
  mustChangePassword: Type.Boolean(),
});

const Encoding = Type.Optional(Type.Union([Type.Literal('base64'), Type.Literal('plain')]));

/**
 * Newer OpenMetadata's password sign-in, `POST /api/v1/auth/login {email, password (base64)}`: the same check as
 * /api/v1/users/login (lockout, rate limits, hashing queue, audit), then a browser session (cookie) and an access token
 * bound to it. `GET /api/v1/auth/login` stays the SSO start (sso.ts); `GET /api/v1/auth/refresh` (sso.ts) hands out a
 * fresh access token for the session.
 */
export function registerSessionLoginRoute(app: App, deps: AppDeps): void {
  const publicUrl = deps.config.server.publicUrl;
  const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

  app.post(
    '/api/v1/auth/login',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['auth'],
        body: Type.Union([
          Strict({ email: Type.String({ minLength: 1, maxLength: LIMIT.signInName }), password: Type.String({ minLength: 1, maxLength: LIMIT.password }), passwordEncoding: Encoding }),
          Strict({ username: Type.String({ minLength: 1, maxLength: LIMIT.signInName }), password: Type.String({ minLength: 1, maxLength: LIMIT.password }), passwordEncoding: Encoding }),
        ]),
        response: { 200: SessionTokenOut, ...errors(400, 401, 403, 429, 503) },
      },
    },
    async (request, reply) => {
      // Login CSRF (this sign-in sets a cookie): see checkLoginOrigin.
      const sameOrigin = checkLoginOrigin({
        contentType: header(request.headers['content-type']), origin: header(request.headers.origin),
        secFetchSite: header(request.headers['sec-fetch-site']), publicOrigin: publicUrl,
      });
      if (!sameOrigin) throw new GatehouseError('AUTH_CSRF');
      if (!deps.config.authentication.basic.enabled) throw new GatehouseError('AUTH_BASIC_DISABLED');
      const body = request.body;
      const login = 'email' in body ? body.email : body.username;
      const context = auditContext(request);
      const { user, details } = await deps.basicSignIn.verifyCredentials(login, decodePassword(body.password, body.passwordEncoding), context);
      const signedIn = await deps.signIns.signedIn({
        user: { id: user.id, name: user.name }, context, previousSessionSecret: request.cookies[sessionCookie(publicUrl).name], details,
      });
      void reply.setCookie(signedIn.cookie.name, signedIn.secret, signedIn.cookie.options);
      return deps.basicSignIn.sessionAccessToken(user.id, signedIn.session.id);
    },
  );
}
