import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { decodeJwt } from 'jose';
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
        const token = request.body.logout_token;
        let providerId = request.query.provider;
        if (!providerId) {
          // Only to pick the provider whose keys then verify it; nothing is trusted before verification.
          let iss: string | undefined;
          try {
            iss = decodeJwt(token).iss;
          } catch {
            iss = undefined;
          }
          providerId = deps.sso.providerForIssuer(iss)?.id;
        }
        try {
          if (!providerId) throw new Error('no provider for this logout token');
          const { ended } = await deps.sso.backchannelLogout(providerId, token);
          await deps.audit.record(auditContext(request), { type: 'auth.backchannel-logout', outcome: 'success', details: { provider: providerId, sessions: ended.length } });
          return reply.status(200).send({});
        } catch (error) {
          request.log.warn({ code: isGatehouseError(error) ? error.code : 'UNKNOWN', internal: isGatehouseError(error) ? error.internal : String(error) }, 'back-channel logout refused');
          await deps.audit.record(auditContext(request), { type: 'auth.backchannel-logout', outcome: 'failure', details: { provider: providerId ?? null, reason: isGatehouseError(error) ? error.code : 'UNKNOWN' } });
          return reply.status(400).send({ error: 'invalid_request' });
        }
      },
    );
  });
}
