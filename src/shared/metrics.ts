/**
 * What the services and the HTTP layer report for Prometheus, without knowing prom-client (src/metrics implements it).
 * Every method is a counter increment or one histogram observation: cheap enough for the hot path. Label values must
 * come from small fixed sets (methods, provider ids, error codes, route patterns), never from requests.
 */
export interface Metrics {
  /** A sign-in finished: method password | sso, the provider id ('' for password), outcome success | failure. */
  signIn(method: string, provider: string, outcome: 'success' | 'failure'): void;
  /** An account was locked after too many failed passwords. */
  lockout(): void;
  /** A bearer token was checked: kind is how it authenticated (bot-token, user-token, …; unknown when refused), outcome ok or the error code. */
  bearer(kind: string, outcome: string): void;
  /** The forward-auth gateway decided: outcome allow | sign-in (nobody signed in: 401 or the way to sign-in) | forbidden (gatehouse_forward_auth_decisions_total); the endpoints and the built-in proxy alike. */
  forwardAuthDecision(outcome: string): void;
  /** One call to an identity provider or a trusted issuer: which host and endpoint, seconds taken, whether it answered. */
  providerCall(host: string, endpoint: string, seconds: number, ok: boolean): void;
  /** A lookup in a per-instance cache (verified-tokens, principals). */
  cacheLookup(cache: string, hit: boolean): void;
  /** One HTTP request: the matched route pattern (never the raw URL), method, status, seconds. */
  httpRequest(route: string, method: string, status: number, seconds: number): void;
}

/** For tests and commands that do not export metrics. */
export const noMetrics: Metrics = {
  signIn() {}, lockout() {}, bearer() {}, forwardAuthDecision() {}, providerCall() {}, cacheLookup() {}, httpRequest() {},
};
