import type { FastifyRequest } from 'fastify';
import type { GatewayRequest } from '../../gateway/index.js';

/** The proxy families, each with the endpoint that speaks its dialect. */
export type ProxyFamily = 'auth-request' | 'forward-auth' | 'ext-authz';

export const GATEWAY_PATHS = {
  /** nginx `auth_request`, ingress-nginx `auth-url`: 2xx / 401 (sign-in URL in X-Gatehouse-Signin) / 403. */
  'auth-request': '/api/v1/gateway/auth-request',
  /** Caddy `forward_auth`, Traefik `forwardAuth`: 2xx / 302 to sign-in / 401 / 403. */
  'forward-auth': '/api/v1/gateway/forward-auth',
  /** Envoy `ext_authz` (HTTP service, path_prefix): the original path follows this prefix. */
  'ext-authz': '/api/v1/gateway/ext-authz',
} as const;

/** The header that carries the sign-in URL on a 401 (nginx turns it into a redirect; it cannot take a 302). */
export const SIGNIN_HEADER = 'X-Gatehouse-Signin';

function one(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function protoOf(value: string | undefined, fallback: 'http' | 'https'): 'http' | 'https' {
  const proto = value?.trim().toLowerCase();
  return proto === 'http' || proto === 'https' ? proto : fallback;
}

/**
 * The original request as each proxy family describes it; undefined when the proxy sent too little (a configuration
 * mistake, refused). Only headers that family's proxy sets itself (overwriting the client's) are read:
 * - auth-request (nginx): X-Original-URL (absolute, as ingress-nginx sends it) or else X-Original-URI with Host as
 *   nginx set it; X-Original-Method. A client-sent X-Forwarded-Host is ignored.
 * - forward-auth (Caddy, Traefik): X-Forwarded-Method, X-Forwarded-Uri and X-Forwarded-Host (all set by the proxy).
 * - ext-authz (Envoy): the request's own method, path after the prefix, and Host (Envoy sends the original authority).
 */
export function gatewayRequestOf(family: ProxyFamily, request: FastifyRequest, defaultProto: 'http' | 'https'): GatewayRequest | undefined {
  const headers = request.headers;
  const bearer = headers.authorization !== undefined;
  const proto = protoOf(one(request, 'x-forwarded-proto'), defaultProto);
  const host = one(request, 'host') ?? '';
  if (family === 'auth-request') {
    const method = one(request, 'x-original-method') ?? request.method;
    // ingress-nginx sends the absolute X-Original-URL (its Host is the auth service's); the shipped nginx.conf sets
    // both, so a client's copy of either never survives.
    const url = one(request, 'x-original-url');
    if (url !== undefined) {
      const parsed = /^(https?):\/\/([^/?#]+)(\/[^#]*)?$/i.exec(url);
      if (!parsed) return undefined;
      return { method, host: parsed[2] ?? '', target: parsed[3] ?? '/', headers, trustForwardedHost: false, bearer, proto: protoOf(parsed[1], proto) };
    }
    const uri = one(request, 'x-original-uri');
    return uri === undefined ? undefined : { method, host, target: uri, headers, trustForwardedHost: false, proto, bearer };
  }
  if (family === 'forward-auth') {
    const method = one(request, 'x-forwarded-method');
    const uri = one(request, 'x-forwarded-uri');
    if (method === undefined || uri === undefined || headers['x-forwarded-host'] === undefined) return undefined;
    return { method, host, target: uri, headers, trustForwardedHost: true, proto, bearer };
  }
  const target = request.url.slice(GATEWAY_PATHS['ext-authz'].length) || '/';
  return { method: request.method, host, target: target.startsWith('/') ? target : `/${target}`, headers, trustForwardedHost: false, proto, bearer };
}
