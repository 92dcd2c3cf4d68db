import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { isGatehouseError } from '../../errors/index.js';
import type { App } from '../app-types.js';
import { auditContext } from '../audit-context.js';
import type { AppDeps } from '../deps.js';

/**
 * OpenID Connect Back-Channel Logout: the provider POSTs a signed logout token (form-encoded); matching sessions end.
 * Registered in its own scope so the form parser exists only here.
 */
export async function registerBackchannelLogout(app: App, deps: AppDeps): Promise<void> {
  await app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16_384 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    scope.post(
      '/api/v1/auth/backchannel-logout',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['sso'],
          querystring: Type.Object({ provider: Type.Optional(Type.String({ maxLength: 40 })) }, { additionalProperties: false }),
          body: Type.Object({ logout_token: Type.String({ minLength: 1, maxLength: 8192 }) }, { additionalProperties: true }),
        },
      },
      async (request, reply) => {
        void reply.header('cache-control', 'no-store');
        const requested = request.query.provider;
        try {
          const { providerId, ended } = await deps.sso.backchannelLogout(requested, request.body.logout_token);
          await deps.audit.record(auditContext(request), { type: 'auth.backchannel-logout', outcome: 'success', details: { provider: providerId, sessions: ended.length } });
          return reply.status(200).send({});
        } catch (error) {
          const code = isGatehouseError(error) ? error.code : 'INTERNAL';
          request.log.warn({ code, internal: isGatehouseError(error) ? error.internal : undefined, err: isGatehouseError(error) ? undefined : error }, 'back-channel logout refused');
          await deps.audit.record(auditContext(request), { type: 'auth.backchannel-logout', outcome: 'failure', details: { provider: requested ?? null, reason: code } });
          return reply.status(400).send({ error: 'invalid_request' });
        }
      },
    );
  });
}
