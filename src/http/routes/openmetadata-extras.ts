import { Type } from 'typebox';
import type { App } from '../app-types.js';
import type { AppDeps } from '../deps.js';
import { errors, IdParams, Strict } from '../schemas.js';

const Email = Type.String({ minLength: 3, maxLength: 254 });

/** OpenMetadata routes its UI calls around users and bots: login policy, theme, e-mail check, a bot's auth mechanism. */
export function registerOpenMetadataExtraRoutes(app: App, deps: AppDeps): void {
  const { config } = deps;

  // OpenMetadata's LoginConfiguration: the UI shows the lockout policy on its sign-in page.
  app.get(
    '/api/v1/system/config/loginConfig',
    { config: { auth: 'public' }, schema: { tags: ['system'], response: { 200: Type.Object({ maxLoginFailAttempts: Type.Integer(), accessBlockTime: Type.Integer(), jwtTokenExpiryTime: Type.Integer() }) } } },
    async () => ({
      maxLoginFailAttempts: config.login.maxLoginFailAttempts,
      accessBlockTime: config.login.accessBlockTimeSeconds,
      jwtTokenExpiryTime: config.jwt.accessTokenTtlSeconds,
    }),
  );

  // Gatehouse has no theme settings: OpenMetadata's UI reads empty ones as "use the default theme".
  app.get('/api/v1/system/config/customUiThemePreference', { config: { auth: 'public' }, schema: { tags: ['system'] } }, async () => ({
    customLogoConfig: {},
    customTheme: {},
  }));

  // Whether an e-mail is taken (OpenMetadata's user form); only for user viewers, so it cannot enumerate accounts anonymously.
  app.get(
    '/api/v1/users/checkEmailInUse/:email',
    { config: { permission: 'user:view' }, schema: { tags: ['users'], params: Strict({ email: Email }), response: { 200: Type.Boolean(), ...errors(401, 403) } } },
    async (request) => deps.users.emailInUse(request.params.email),
  );
  app.post(
    '/api/v1/users/checkEmailInUse',
    { config: { permission: 'user:view' }, schema: { tags: ['users'], body: Strict({ email: Email }), response: { 200: Type.Boolean(), ...errors(401, 403) } } },
    async (request) => deps.users.emailInUse(request.body.email),
  );

  // A bot's JWT auth mechanism. Unlike OpenMetadata, the token itself is never returned again (shown once when made).
  app.get(
    '/api/v1/users/auth-mechanism/:id',
    {
      config: { permission: 'bot:manage' },
      schema: {
        tags: ['bots'],
        params: IdParams,
        response: { 200: Type.Object({ authType: Type.Literal('JWT'), config: Type.Object({ JWTTokenExpiresAt: Type.Optional(Type.Union([Type.Integer(), Type.Null()])) }) }), ...errors(400, 404) },
      },
    },
    async (request) => {
      const token = await deps.bots.tokenInfo(request.params.id);
      const expiresAt = token?.expiresAt ? Date.parse(token.expiresAt) : null;
      return { authType: 'JWT' as const, config: token ? { JWTTokenExpiresAt: expiresAt } : {} };
    },
  );
}
