import { Type } from 'typebox';
import type { App } from '../app-types.js';
import { auditContext } from '../audit-context.js';
import type { AppDeps } from '../deps.js';
import { errors } from '../schemas.js';

/** The public JWKS (OpenMetadata's path) and signing-key administration. */
export function registerKeyRoutes(app: App, deps: AppDeps): void {
  const tags = ['keys'];
  app.get('/api/v1/system/config/jwks', { config: { auth: 'public' }, schema: { tags } }, async (_request, reply) => {
    void reply.header('cache-control', 'public, max-age=300');
    return deps.keys.jwks();
  });

  app.get('/api/v1/system/keys', { config: { permission: 'key:manage' }, schema: { tags } }, async () => ({ data: await deps.keys.list() }));

  app.post('/api/v1/system/keys/rotate', { config: { permission: 'key:manage' }, schema: { tags, response: { 200: Type.Object({ kid: Type.String() }), ...errors(409) } } }, async (request) => {
    const kid = await deps.keys.rotate();
    deps.keysChanged();
    await deps.audit.record(auditContext(request), { type: 'key.rotate', outcome: 'success', target: { type: 'key', id: kid } });
    return { kid };
  });

  app.post(
    '/api/v1/system/keys/:kid/retire',
    { config: { permission: 'key:manage' }, schema: { tags, params: Type.Object({ kid: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false }), response: { 204: Type.Null(), ...errors(404, 409) } } },
    async (request, reply) => {
      await deps.keys.retire(request.params.kid);
      deps.keysChanged();
      await deps.audit.record(auditContext(request), { type: 'key.retire', outcome: 'success', target: { type: 'key', id: request.params.kid } });
      return reply.status(204).send(null);
    },
  );
}
