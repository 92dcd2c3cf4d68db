import type { Metrics } from '../shared/index.js';

type Fetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

/** The endpoint a provider URL names, from a fixed set (the label must not carry paths an issuer chooses). */
export function providerEndpoint(url: URL): string {
  const path = url.pathname.toLowerCase();
  if (path.includes('/.well-known/')) return 'discovery';
  if (/token\/?$/.test(path) && !path.includes('revo') && !path.includes('introspect')) return 'token';
  if (path.includes('userinfo') || path.endsWith('/me')) return 'userinfo';
  if (/certs|jwks|keys/.test(path)) return 'jwks';
  if (path.includes('revo')) return 'revocation';
  return 'other';
}

/** fetch for provider and issuer calls that reports each call's host, endpoint, time and outcome. */
export function timedFetch(metrics: Metrics, inner: Fetch = (url, init) => fetch(url, init)): Fetch {
  return async (url, init) => {
    const target = typeof url === 'string' ? new URL(url) : url;
    const started = performance.now();
    let ok = false;
    try {
      const response = await inner(url, init);
      ok = response.status < 500;
      return response;
    } finally {
      metrics.providerCall(target.host, providerEndpoint(target), (performance.now() - started) / 1000, ok);
    }
  };
}
