import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { ALL_IDENTITY_HEADERS } from '../../src/gateway/index.js';
import { GATEWAY_PATHS } from '../../src/http/routes/gateway-requests.js';

/**
 * The proxy configurations that cannot run here (Traefik, Envoy, ingress-nginx: not in Debian 12, no cluster) are
 * checked offline: they parse, and they name the endpoints and exactly the identity headers the code uses. nginx and
 * Caddy run for real in real-proxies.test.ts; here only that their header lists stay complete.
 */
const read = (name: string) => readFileSync(`deploy/gateway/${name}`, 'utf8');
const underscored = ALL_IDENTITY_HEADERS.map((h) => h.replaceAll('-', '_'));
const lower = (list: readonly string[]) => list.map((h) => h.toLowerCase()).sort();

type Doc = Record<string, unknown>;
const at = (value: unknown, ...path: (string | number)[]): unknown =>
  path.reduce<unknown>((node, key) => (node as Record<string | number, unknown> | undefined)?.[key], value);

describe('deploy/gateway configurations', () => {
  it('Traefik: forwardAuth to the forward-auth endpoint, every identity header copied, client copies deleted first', () => {
    const config = parse(read('traefik.yml')) as Doc;
    const check = at(config, 'http', 'middlewares', 'gatehouse-check', 'forwardAuth') as Doc;
    expect(new URL(String(check['address'])).pathname).toBe(GATEWAY_PATHS['forward-auth']);
    expect(check['trustForwardHeader']).toBe(false);
    expect(check['authResponseHeaders']).toEqual([...ALL_IDENTITY_HEADERS]);
    const strip = at(config, 'http', 'middlewares', 'gatehouse-strip-identity', 'headers', 'customRequestHeaders') as Record<string, string>;
    expect(Object.keys(strip).sort()).toEqual([...ALL_IDENTITY_HEADERS, ...underscored].sort());
    expect(Object.values(strip).every((v) => v === '')).toBe(true);
    expect(at(config, 'http', 'routers', 'catalog', 'middlewares')).toEqual(['gatehouse-strip-identity', 'gatehouse-check', 'gatehouse-strip-authorization']);
  });

  it('Envoy: ext_authz HTTP service on the ext-authz prefix, identity headers set upstream, underscores refused', () => {
    const config = parse(read('envoy.yaml')) as Doc;
    const manager = at(config, 'static_resources', 'listeners', 0, 'filter_chains', 0, 'filters', 0, 'typed_config') as Doc;
    expect(at(manager, 'common_http_protocol_options', 'headers_with_underscores_action')).toBe('REJECT_REQUEST');
    const filter = at(manager, 'http_filters', 0) as Doc;
    expect(filter['name']).toBe('envoy.filters.http.ext_authz');
    const service = at(filter, 'typed_config', 'http_service') as Doc;
    expect(service['path_prefix']).toBe(GATEWAY_PATHS['ext-authz']);
    const upstream = at(service, 'authorization_response', 'allowed_upstream_headers', 'patterns') as { exact: string; ignore_case: boolean }[];
    expect(lower(upstream.map((p) => p.exact))).toEqual(lower(ALL_IDENTITY_HEADERS));
    const sent = (at(service, 'authorization_request', 'allowed_headers', 'patterns') as { exact: string }[]).map((p) => p.exact);
    expect(sent).toEqual(expect.arrayContaining(['cookie', 'authorization', 'accept']));
    expect(at(manager, 'route_config', 'virtual_hosts', 0, 'routes', 1, 'request_headers_to_remove')).toEqual(['authorization']);
  });

  it('ingress-nginx: auth-url on the auth-request endpoint, sign-in with returnTo, every identity header passed', () => {
    const [catalog] = parseAllDocuments(read('ingress-nginx.yaml')).map((d) => d.toJS() as Doc);
    const annotations = at(catalog, 'metadata', 'annotations') as Record<string, string>;
    expect(new URL(annotations['nginx.ingress.kubernetes.io/auth-url'] ?? '').pathname).toBe(GATEWAY_PATHS['auth-request']);
    expect(new URL(annotations['nginx.ingress.kubernetes.io/auth-signin'] ?? '').pathname).toBe('/signin');
    expect(annotations['nginx.ingress.kubernetes.io/auth-signin-redirect-param']).toBe('returnTo');
    expect(annotations['nginx.ingress.kubernetes.io/auth-response-headers']?.split(',')).toEqual([...ALL_IDENTITY_HEADERS]);
  });

  it('nginx and Caddy: every identity header overwritten (nginx) or deleted in both spellings and copied (Caddy)', () => {
    const nginx = read('nginx.conf');
    expect(nginx).toContain(`proxy_pass http://gatehouse${GATEWAY_PATHS['auth-request']};`);
    expect(nginx).toMatch(/underscores_in_headers off;/);
    for (const name of ALL_IDENTITY_HEADERS) {
      expect(nginx).toMatch(new RegExp(`proxy_set_header ${name} \\$gh_\\w+;`));
      expect(nginx).toContain(`$upstream_http_${name.toLowerCase().replaceAll('-', '_')};`);
    }
    const caddy = read('Caddyfile');
    expect(caddy).toContain(`uri ${GATEWAY_PATHS['forward-auth']}`);
    expect(caddy).toContain(`copy_headers ${ALL_IDENTITY_HEADERS.join(' ')}`);
    for (const name of [...ALL_IDENTITY_HEADERS, ...underscored]) expect(caddy).toContain(`request_header -${name}\n`);
  });
});
