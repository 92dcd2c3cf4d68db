import { GatehouseError } from '../../errors/index.js';
import type { App } from '../app-types.js';
import type { AppDeps } from '../deps.js';
import { metricsOnMainPort, scrapeAllowed } from '../metrics-access.js';

/**
 * GET /metrics on the main port (see metrics-access.ts for when). The route checks the scrape token itself (auth:
 * 'own'): it is not a JWT, and the scrape is not a user. Every request's latency is observed here too, by route pattern.
 */
export function registerMetricsRoutes(app: App, deps: AppDeps): void {
  const { metrics, scrapeMetrics } = deps;
  // routeOptions.url is the matched pattern (/api/v1/users/:id), never the raw URL: bounded labels, no ids or tokens.
  // Callback style: no promise per request.
  app.addHook('onResponse', (request, reply, done) => {
    metrics.httpRequest(request.routeOptions.url ?? 'unmatched', request.method, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  if (!scrapeMetrics || !metricsOnMainPort(deps.config)) return;
  app.get('/metrics', { config: { auth: 'own' }, schema: { hide: true } }, async (request, reply) => {
    if (!scrapeAllowed(deps.config, request.headers)) throw new GatehouseError('AUTH_REQUIRED', 'Send the metrics token as "Authorization: Bearer <token>".');
    const { contentType, body } = await scrapeMetrics();
    return reply.type(contentType).header('cache-control', 'no-store').send(body);
  });
}
