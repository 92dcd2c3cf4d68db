import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { GatehouseError } from '../errors/index.js';
import type { App } from './app-types.js';
import { registerAuthentication } from './authenticate.js';
import type { AppDeps } from './deps.js';
import { answerClientError } from './client-error.js';
import { sendError } from './error-reply.js';
import { findJsonStructureProblem } from './json-guard.js';
import { answerNotFound, trackRouteMethods } from './not-found.js';
import { isUpstreamResponse, registerGatewayProxy } from './proxy/index.js';
import { withRequestSerializer } from './request-log.js';
import { registerRoutes } from './routes/index.js';
import { registerStaticUi } from './static-ui.js';
import { createValidatorCompiler } from './validation.js';

const MAX_JSON_DEPTH = 32;

/** Builds the whole HTTP app from its dependencies; `listen` is the caller's business (tests use inject()). */
export interface BuildAppOptions {
  /** A pino logger shared with the domain services (main.ts); tests run without one. */
  loggerInstance?: FastifyBaseLogger;
  /** The built web UI (default: ui/dist of this checkout or package). */
  uiDir?: string;
}

const DEFAULT_UI_DIR = fileURLToPath(new URL('../../ui/dist', import.meta.url));

export async function buildApp(deps: AppDeps, options: BuildAppOptions = {}): Promise<App> {
  const app = Fastify({
    ...(options.loggerInstance ? { loggerInstance: withRequestSerializer(options.loggerInstance) } : { logger: false }),
    bodyLimit: deps.config.server.bodyLimitBytes,
    trustProxy: deps.config.server.trustProxy,
    // Request ids are ours, not taken from headers a client controls.
    requestIdHeader: false,
    genReqId: () => crypto.randomUUID(),
    // find-my-way defaults: ';' is not a delimiter, no trailing- or duplicate-slash folding; auth reads the matched route anyway.
    routerOptions: { maxParamLength: 256, ignoreTrailingSlash: false, ignoreDuplicateSlashes: false },
    // Oversized headers and malformed requests are refused by Node's parser before Fastify: answer them in our shape too.
    clientErrorHandler: (error, socket) => answerClientError(error, socket, options.loggerInstance),
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Gatehouse's API under gateway.apiPrefix (e.g. /gatehouse/api/v1/...), leaving /api to the upstream; first of all
  // onRoute hooks, so the not-found table and the API description see the final paths.
  const apiPrefix = deps.config.gateway.apiPrefix;
  if (apiPrefix !== '') app.addHook('onRoute', (route) => {
    if (route.url === '/api' || route.url.startsWith('/api/')) route.url = route.path = `${apiPrefix}${route.url}`;
  });
  app.setValidatorCompiler(createValidatorCompiler());
  app.setErrorHandler((error, request, reply) => sendError(error, request, reply));
  app.setNotFoundHandler(answerNotFound(trackRouteMethods(app)));

  // JSON with duplicate keys, prototype-pollution keys or absurd nesting is refused before parsing.
  app.removeContentTypeParser('application/json');
  // JSON Patch (RFC 6902) bodies are JSON too (OpenMetadata's PATCH routes take them).
  app.addContentTypeParser(['application/json', 'application/json-patch+json'], { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    const problem = findJsonStructureProblem(text, MAX_JSON_DEPTH);
    if (problem) return done(new GatehouseError('REQUEST_INVALID', `The JSON body has a ${problem}.`), undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      request.log.info('malformed JSON body');
      done(new GatehouseError('REQUEST_INVALID', 'The body is not valid JSON.'), undefined);
    }
  });

  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Gatehouse API', version: deps.config.version, description: 'Sign-in, sessions, roles and tokens.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
  });

  app.addHook('onSend', async (request, reply, payload) => {
    // The upstream's answer is relayed as the upstream wrote it.
    if (isUpstreamResponse(request)) return payload;
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('referrer-policy', 'no-referrer');
    if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
    return payload;
  });

  registerAuthentication(app, deps.authenticator);
  await registerRoutes(app, deps);
  app.get('/api/v1/docs', { config: { auth: 'public' }, schema: { hide: true } }, async () => app.swagger());
  await registerStaticUi(app, deps, options.uiDir ?? DEFAULT_UI_DIR);
  await registerGatewayProxy(app, deps);
  await app.ready();
  return app;
}
