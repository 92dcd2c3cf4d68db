import { Type } from 'typebox';
import { redactConfig } from '../../config/index.js';
import type { App } from '../app-types.js';
import type { AppDeps } from '../deps.js';

/** The provider's clock minus ours, from the Date header of its discovery document (1-second resolution). */
async function measureClockSkew(authority: string, now: () => number): Promise<number | null> {
  try {
    const started = now();
    const res = await fetch(`${authority}/.well-known/openid-configuration`, { method: 'GET', signal: AbortSignal.timeout(5000), redirect: 'error' });
    await res.body?.cancel();
    const date = res.headers.get('date');
    if (!date) return null;
    const midpoint = (started + now()) / 2;
    return Math.round((Date.parse(date) - midpoint) / 1000);
  } catch {
    return null;
  }
}

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
      const providers = await Promise.all(
        deps.config.authentication.providers.map(async (p) => {
          const [check, skew] = await Promise.all([deps.sso.checkProvider(p.id), measureClockSkew(p.authority, () => Date.now())]);
          return {
            id: p.id, displayName: p.displayName, issuer: p.authority,
            discovery: check.ok ? { ok: true } : { ok: false, error: check.error ?? 'INTERNAL' },
            jwksKids: check.jwksKids, clockSkewSeconds: skew,
          };
        }),
      );
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
