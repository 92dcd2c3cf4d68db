import { Type } from 'typebox';
import { GatehouseError } from '../../errors/index.js';
import type { App } from '../app-types.js';
import { auditContext } from '../audit-context.js';
import { principalOf } from '../authenticate.js';
import type { AppDeps } from '../deps.js';
import { errors, Strict } from '../schemas.js';
import { INPUT_LIMITS as LIMIT } from '../../shared/index.js';

const Password = Type.String({ minLength: 1, maxLength: LIMIT.password });
const TokenPairOut = Type.Object({
  tokenType: Type.Literal('Bearer'),
  accessToken: Type.String(),
  refreshToken: Type.String(),
  expiryDuration: Type.Integer(),
  mustChangePassword: Type.Boolean(),
});

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** OpenMetadata's UI sends the password base64-encoded; scripts may say passwordEncoding: "plain". */
export function decodePassword(value: string, encoding: 'base64' | 'plain' | undefined): string {
  if (encoding === 'plain') return value;
  if (!BASE64.test(value)) {
    throw new GatehouseError('REQUEST_INVALID', 'password must be base64-encoded (as OpenMetadata sends it), or add "passwordEncoding": "plain".');
  }
  const decoded = Buffer.from(value, 'base64');
  const text = new TextDecoder('utf-8', { fatal: false }).decode(decoded);
  if (Buffer.from(text, 'utf8').compare(decoded) !== 0) {
    throw new GatehouseError('REQUEST_INVALID', 'password decodes to bytes that are not UTF-8 text.');
  }
  return text;
}

/** Password sign-in in OpenMetadata's shape: login, refresh (rotating), logout, change password. */
export function registerBasicAuthRoutes(app: App, deps: AppDeps): void {
  const tags = ['auth'];
  const basicGuard = () => {
    if (!deps.config.authentication.basic.enabled) throw new GatehouseError('AUTH_BASIC_DISABLED');
  };

  app.post(
    '/api/v1/users/login',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        body: Type.Union([
          Strict({ email: Type.String({ minLength: 1, maxLength: LIMIT.signInName }), password: Password, passwordEncoding: Type.Optional(Type.Union([Type.Literal('base64'), Type.Literal('plain')])) }),
          Strict({ username: Type.String({ minLength: 1, maxLength: LIMIT.signInName }), password: Password, passwordEncoding: Type.Optional(Type.Union([Type.Literal('base64'), Type.Literal('plain')])) }),
        ]),
        response: { 200: TokenPairOut, ...errors(400, 401, 403, 429, 503) },
      },
    },
    async (request) => {
      basicGuard();
      const body = request.body;
      const login = 'email' in body ? body.email : body.username;
      return deps.basicSignIn.login(login, decodePassword(body.password, body.passwordEncoding), auditContext(request));
    },
  );

  app.post(
    '/api/v1/users/refresh',
    {
      config: { auth: 'public' },
      schema: { tags, body: Strict({ refreshToken: Type.String({ minLength: 1, maxLength: 512 }) }), response: { 200: TokenPairOut, ...errors(400, 401) } },
    },
    async (request) => {
      basicGuard();
      return deps.basicSignIn.refresh(request.body.refreshToken, auditContext(request));
    },
  );

  app.post(
    '/api/v1/users/logout',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        // OpenMetadata's client also sends username and logoutTime: accepted, never trusted (only the tokens say whose
        // sign-in ends).
        body: Strict({
          token: Type.Optional(Type.String({ maxLength: 8192 })),
          refreshToken: Type.Optional(Type.String({ maxLength: 512 })),
          username: Type.Optional(Type.String({ maxLength: 256 })),
          logoutTime: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Number()])),
        }),
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async (request) => {
      await deps.basicSignIn.logout({ refreshToken: request.body.refreshToken, token: request.body.token }, auditContext(request));
      return { status: 'ok' as const };
    },
  );

  app.put(
    '/api/v1/users/changePassword',
    {
      config: { allowWhilePasswordChangeRequired: true },
      schema: {
        tags,
        body: Strict({
          oldPassword: Type.Optional(Password),
          newPassword: Password,
          confirmPassword: Password,
          requestType: Type.Optional(Type.Union([Type.Literal('SELF'), Type.Literal('USER')])),
          username: Type.Optional(Type.String({ maxLength: 64 })),
          endOtherSessions: Type.Optional(Type.Boolean()),
        }),
        response: { 200: Type.Object({ status: Type.Literal('ok') }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const body = request.body;
      if (body.requestType === 'USER' && body.username && body.username.toLowerCase() !== principal.name) {
        await deps.basicSignIn.resetPassword(principal, body.username, body.newPassword, body.confirmPassword, auditContext(request));
      } else {
        await deps.basicSignIn.changePassword(
          principal.userId,
          {
            oldPassword: body.oldPassword ?? '',
            newPassword: body.newPassword,
            confirmPassword: body.confirmPassword,
            endOtherSessions: body.endOtherSessions ?? false,
            currentSessionId: request.sessionId,
          },
          auditContext(request),
        );
      }
      return { status: 'ok' as const };
    },
  );
}
