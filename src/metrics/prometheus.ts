import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Metrics } from '../shared/index.js';
import { childCache } from './children.js';

/** What the scrape reads on demand (never on the request path). */
export interface MetricsGauges {
  /** Live browser sessions (one indexed count); rejects when the database is down, and the gauge keeps its last value. */
  activeSessions(): Promise<number>;
  /** The database pool, or null without a pool (SQLite). */
  poolUsage(): { max: number; total: number; idle: number; waiting: number } | null;
}

export interface MetricsExport {
  /** What services and the HTTP layer report to. */
  readonly metrics: Metrics;
  readonly contentType: string;
  /** The Prometheus text exposition of this instance. */
  render(): Promise<string>;
}

const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const PROVIDER_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** One registry per instance (not prom-client's global one), so tests and several apps in a process stay apart. */
export function createPrometheusMetrics(gauges: MetricsGauges): MetricsExport {
  const registry = new Registry();
  // Process CPU and memory, GC, and the event loop lag (nodejs_eventloop_lag_seconds, nodejs_eventloop_lag_p99_seconds).
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const signIns = new Counter({ name: 'gatehouse_sign_ins_total', help: 'Finished sign-ins by method (password, sso), provider and outcome.', labelNames: ['method', 'provider', 'outcome'], registers });
  const lockouts = new Counter({ name: 'gatehouse_lockouts_total', help: 'Accounts locked after too many failed passwords.', registers });
  const bearer = new Counter({ name: 'gatehouse_bearer_verifications_total', help: 'Bearer tokens checked, by kind (unknown when refused) and outcome (ok or the error code).', labelNames: ['kind', 'outcome'], registers });
  const forwardAuth = new Counter({ name: 'gatehouse_forward_auth_decisions_total', help: 'Forward-auth gateway decisions by outcome.', labelNames: ['outcome'], registers });
  const cache = new Counter({ name: 'gatehouse_cache_lookups_total', help: 'Per-instance cache lookups by cache and result (hit, miss).', labelNames: ['cache', 'result'], registers });
  const provider = new Histogram({ name: 'gatehouse_provider_request_duration_seconds', help: 'Calls to identity providers and trusted issuers by host, endpoint and outcome (ok, error).', labelNames: ['host', 'endpoint', 'outcome'], buckets: PROVIDER_BUCKETS, registers });
  const http = new Histogram({ name: 'gatehouse_http_request_duration_seconds', help: 'HTTP requests by route pattern, method and status code.', labelNames: ['route', 'method', 'status'], buckets: HTTP_BUCKETS, registers });
  new Gauge({
    name: 'gatehouse_active_sessions', help: 'Live browser sessions in the database (read at scrape time; shared by every instance).', registers,
    async collect() {
      try {
        this.set(await gauges.activeSessions());
      } catch {
        // The database is down: /readyz says so; the scrape itself must still answer.
      }
    },
  });
  new Gauge({
    name: 'gatehouse_db_pool_connections', help: 'Database pool connections by state (max, total, idle, waiting = queries queued for a connection).', labelNames: ['state'], registers,
    collect() {
      const usage = gauges.poolUsage();
      if (!usage) return;
      for (const state of ['max', 'total', 'idle', 'waiting'] as const) this.set({ state }, usage[state]);
    },
  });

  const signInChild = childCache((m, p, o) => signIns.labels(m, p, o));
  const bearerChild = childCache((k, o) => bearer.labels(k, o));
  const forwardChild = childCache((o) => forwardAuth.labels(o));
  const cacheChild = childCache((c, r) => cache.labels(c, r));
  const providerChild = childCache((h, e, o) => provider.labels(h, e, o));
  const httpChild = childCache((r, m, s) => http.labels(r, m, s));

  return {
    metrics: {
      signIn: (method, providerId, outcome) => signInChild(method, providerId, outcome).inc(),
      lockout: () => lockouts.inc(),
      bearer: (kind, outcome) => bearerChild(kind, outcome).inc(),
      forwardAuthDecision: (outcome) => forwardChild(outcome).inc(),
      cacheLookup: (name, hit) => cacheChild(name, hit ? 'hit' : 'miss').inc(),
      providerCall: (host, endpoint, seconds, ok) => providerChild(host, endpoint, ok ? 'ok' : 'error').observe(seconds),
      httpRequest: (route, method, status, seconds) => httpChild(route, method, statusText(status)).observe(seconds),
    },
    contentType: registry.contentType,
    render: () => registry.metrics(),
  };
}

const STATUS_TEXT = new Map<number, string>();
/** "200" for 200 without building a new string per request. */
function statusText(status: number): string {
  let text = STATUS_TEXT.get(status);
  if (text === undefined) STATUS_TEXT.set(status, (text = String(status)));
  return text;
}
