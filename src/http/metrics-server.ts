import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatehouseConfig } from '../config/index.js';
import { scrapeAllowed } from './metrics-access.js';

/**
 * /metrics on a port of its own (metrics.port), so the scrape can be reachable inside the network only and never
 * passes through the public ingress. A plain Node server: nothing else is served there.
 */
export async function startMetricsServer(
  config: GatehouseConfig,
  scrape: () => Promise<{ contentType: string; body: string }>,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || (request.url ?? '').split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: the metrics port serves GET /metrics only.\n');
      return;
    }
    if (!scrapeAllowed(config, request.headers)) {
      response.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' }).end('Send the metrics token as "Authorization: Bearer <token>".\n');
      return;
    }
    scrape().then(
      ({ contentType, body }) => response.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body),
      () => response.writeHead(500, { 'content-type': 'text/plain' }).end('The metrics could not be collected.\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.metrics.port ?? 0, config.server.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
  return {
    url: `http://${host}:${port}/metrics`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
