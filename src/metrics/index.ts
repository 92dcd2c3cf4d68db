export { createPrometheusMetrics } from './prometheus.js';
export type { MetricsExport, MetricsGauges } from './prometheus.js';
export { providerEndpoint, timedFetch } from './timed-fetch.js';
