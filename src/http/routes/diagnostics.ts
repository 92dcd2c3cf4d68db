import { Type } from 'typebox';
import { redactConfig } from '../../config/index.js';
import { probeProviders } from '../../preflight/index.js';
import type { App } from '../app-types.js';
import type { AppDeps } from '../deps.js';

/** GET /api/v1/system/diagnostics: what an operator checks first (admins only; secrets redacted). */
export function registerDiagnosticsRoutes(app: App, deps: AppDeps): void {
  app.get(
    '/api/v1/system/diagnostics',
    {
      config: { permission: 'system:diagnostics' },
      schema: {
        tags: ['system'],
        response: {
          200: Type.Object({
            environment: Type.String(),
            version: Type.String(),
            config: Type.Object({}, { additionalProperties: true }),
            providers: Type.Array(Type.Object({
              id: Type.String(), displayName: Type.String(), issuer: Type.String(),
              discovery: Type.Object({ ok: Type.Boolean(), error: Type.Optional(Type.String()) }),
              jwksKids: Type.Array(Type.String()), clockSkewSeconds: Type.Union([Type.Integer(), Type.Null()]),
            })),
            checklist: Type.Array(Type.Object({ id: Type.String(), ok: Type.Boolean(), message: Type.String() })),
          }),
        },
      },
    },
    async () => {
      // The same probe as `gatehouse config check --online`.
      const providers = await probeProviders(deps.config.authentication.providers, deps.sso.checkProvider);
      return {
        environment: deps.config.environment,
        version: deps.config.version,
        config: redactConfig(deps.config),
        providers,
        checklist: await deps.productionChecklist(),
      };
    },
  );
}
