import type { IncomingHttpHeaders } from 'node:http';
import type { GatehouseConfig } from '../config/index.js';
import { safeEqual } from '../crypto/index.js';

/**
 * Where /metrics is served (docs/operations.md): on its own port when metrics.port is set; else on the main port when
 * a token protects it or outside production. Metrics reveal traffic, user and error counts, so a production main port
 * never serves them to anyone who asks.
 */
export function metricsOnMainPort(config: GatehouseConfig): boolean {
  if (config.metrics.port !== null) return false;
  return config.metrics.token !== null || config.environment !== 'production';
}

/** Whether a scrape may read the metrics: `Authorization: Bearer <metrics.token>` when a token is set (constant time). */
export function scrapeAllowed(config: GatehouseConfig, headers: IncomingHttpHeaders): boolean {
  const { token } = config.metrics;
  if (token === null) return true;
  const authorization = headers.authorization ?? '';
  return authorization.startsWith('Bearer ') && safeEqual(authorization.slice('Bearer '.length), token);
}
