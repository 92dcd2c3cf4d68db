import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { GatehouseError } from '../../errors/index.js';
import type { App } from '../app-types.js';
import type { AppDeps } from '../deps.js';
import { errors, Strict } from '../schemas.js';

/** Room for the largest token the bearer path accepts (16 KiB) plus the other parameters; a longer body is 413. */
const BODY_LIMIT = 20_480;

/** Every member an answer may carry; anything else the use case returned would be dropped, never sent. */
const IntrospectionOut = Type.Object(
  {
    active: Type.Boolean(),
    sub: Type.Optional(Type.String()),
    username: Type.Optional(Type.String()),
    token_type: Type.Optional(Type.Literal('Bearer')),
    iss: Type.Optional(Type.String()),
    iat: Type.Optional(Type.Number()),
    exp: Type.Optional(Type.Number()),
    jti: Type.Optional(Type.String()),
    client_id: Type.Optional(Type.String()),
    scope: Type.Optional(Type.String({ description: 'Space-separated permissions, only for a token limited to them.' })),
    email: Type.Optional(Type.String()),
    roles: Type.Optional(Type.Array(Type.String())),
    isBot: Type.Optional(Type.Boolean()),
    tokenType: Type.Optional(Type.String({ description: 'BOT, PERSONAL_ACCESS, OM_USER or EXTERNAL (a trusted issuer\'s token).' })),
  },
  { additionalProperties: false },
);

/** A form body as RFC 6749 §3.1 reads it: a parameter sent twice is refused, never resolved by "last wins". */
function parseForm(body: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(body)) {
    if (Object.hasOwn(fields, name)) throw new GatehouseError('REQUEST_INVALID', `The parameter "${name.slice(0, 40)}" is sent more than once.`);
    fields[name] = value;
  }
  return fields;
}

/**
 * Token introspection (RFC 7662) for services that verify Gatehouse JWTs themselves but must honour revocation and
 * logout. Form-encoded as the RFC says, or JSON. Registered in its own scope so the form parser exists only here.
 */
export async function registerIntrospectionRoutes(app: App, deps: AppDeps): Promise<void> {
  await app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_request, body, done) => {
      try {
        done(null, parseForm(String(body)));
      } catch (error) {
        done(error as Error, undefined);
      }
    });
    scope.post(
      '/api/v1/tokens/introspect',
      {
        bodyLimit: BODY_LIMIT,
        config: { permission: 'token:introspect' },
        schema: {
          tags: ['tokens'],
          consumes: ['application/x-www-form-urlencoded', 'application/json'],
          summary: 'Is this token active? (RFC 7662)',
          description: 'The same verdict as sending the token as "Authorization: Bearer": `{ "active": false }` for any token '
            + 'that is not, with no reason. Callers need the token:introspect permission (role TokenIntrospector) or Admin.',
          body: Strict({
            token: Type.String({ minLength: 1 }),
            // RFC 7662 §2.1: only a hint; Gatehouse works out the kind of token itself.
            token_type_hint: Type.Optional(Type.String({ maxLength: 64 })),
          }),
          response: { 200: IntrospectionOut, ...errors(400, 401, 403) },
        },
      },
      async (request, reply) => {
        // RFC 7662 §4: the answer is about a credential; no cache may keep it.
        void reply.header('cache-control', 'no-store');
        return deps.introspection.introspect(request.body.token);
      },
    );
  });
}
