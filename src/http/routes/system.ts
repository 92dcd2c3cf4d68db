import { Type } from 'typebox';
import type { App } from '../app-types.js';
import type { AppDeps } from '../deps.js';

/** Health, readiness, version and the public configuration the UI and clients need (never secrets). */
export function registerSystemRoutes(app: App, deps: AppDeps): void {
  const { config } = deps;
  app.get('/healthz', { config: { auth: 'public' }, schema: { hide: true, response: { 200: Type.Object({ status: Type.String() }) } } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { config: { auth: 'public' }, schema: { hide: true } }, async (_request, reply) => {
    const state = await deps.readiness();
    return reply.status(state.ready ? 200 : 503).send(state);
  });

  app.get(
    '/api/v1/system/version',
    { config: { auth: 'public' }, schema: { tags: ['system'], response: { 200: Type.Object({ version: Type.String() }) } } },
    async () => ({ version: config.version }),
  );

  app.get('/api/v1/system/config/auth', { config: { auth: 'public' }, schema: { tags: ['system'] } }, async () => {
    const first = config.authentication.providers[0];
    return {
      provider: config.authentication.provider,
      providerName: first?.displayName ?? null,
      clientType: first?.clientType ?? 'public',
      authority: first?.authority ?? null,
      clientId: first?.clientId ?? null,
      callbackUrl: first?.callbackUrl ?? null,
      publicKeyUrls: config.authentication.publicKeyUrls,
      jwtPrincipalClaims: config.authentication.principalClaims,
      enableSelfSignup: config.authentication.enableSelfSignup,
      responseType: 'code',
      providers: config.authentication.providers.map((p) => ({ id: p.id, displayName: p.displayName, issuer: p.authority })),
      basicEnabled: config.authentication.basic.enabled,
      basicAdminsOnly: config.authentication.basic.adminsOnly,
      // The password forms read the rule from here (login.minPasswordLength) instead of a number of their own.
      passwordMinLength: config.login.minPasswordLength,
    };
  });

  // Unlike OpenMetadata, admin principal names are not published: they would tell attackers whom to lock out.
  app.get('/api/v1/system/config/authorizer', { config: { auth: 'public' }, schema: { tags: ['system'] } }, async () => ({
    principalDomain: config.authorizer.principalDomain,
    enforcePrincipalDomain: config.authorizer.enforcePrincipalDomain,
    allowedDomains: config.authorizer.allowedDomains,
    useRolesFromProvider: config.authorizer.useRolesFromProvider,
  }));
}
