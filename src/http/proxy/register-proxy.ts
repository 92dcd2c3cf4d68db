import { PassThrough } from 'node:stream';
import type { FastifyHttpProxyOptions } from '@fastify/http-proxy';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AccessPolicy, proxyConfigured } from '../../gateway/index.js';
import type { App } from '../app-types.js';
import { answerProxyError, isBrowserNavigation } from './answers.js';
import { upstreamFor, type ProxyCheck } from './check.js';
import { upstreamRequestHeaders, type UpstreamHeaderRules } from './upstream-headers.js';
import type { GatewayConfig } from '../../config/index.js';
import type { Metrics } from '../../shared/index.js';

export interface ProxyOptions {
  readonly gateway: GatewayConfig;
  readonly policy: AccessPolicy;
  readonly trustProxy: boolean;
  readonly ownCookies: ReadonlySet<string>;
  /** The one gateway decision (access rules, identity headers, assertion), shared with the forward-auth endpoints. */
  readonly check: ProxyCheck;
  /** gatehouse_forward_auth_decisions_total counts the built-in proxy's decisions too. */
  readonly metrics: Pick<Metrics, 'forwardAuthDecision'>;
}

/** What the pre-handler decided for a request: its upstream and the identity headers it carries there. */
interface Passage {
  readonly upstream: string;
  readonly identity: Record<string, string>;
}

const passages = new WeakMap<FastifyRequest, Passage>();
const upstreamAnswered = new WeakSet<FastifyRequest>();

/** True once the upstream's response is being relayed: Gatehouse's own response headers (CSP, no-store) stay off it. */
export function isUpstreamResponse(request: FastifyRequest): boolean {
  return upstreamAnswered.has(request);
}

function passageOf(request: FastifyRequest): Passage {
  const passage = passages.get(request);
  // The pre-handler runs before every proxied request; reaching this without one is a wiring bug, never a pass.
  if (!passage) throw new Error('proxied request without an access decision');
  return passage;
}

/**
 * The built-in reverse proxy (@fastify/http-proxy on undici): every path that is not Gatehouse's own, on every usual
 * method and on WebSocket upgrades, is judged by the access rules and then streamed to its upstream. Bodies are not
 * parsed (no body limit, no buffering); down or slow upstreams get 502/504 pages.
 */
export async function registerProxy(app: App, options: ProxyOptions): Promise<void> {
  const { gateway, policy, trustProxy } = options;
  if (!proxyConfigured(gateway)) return;
  const { check, metrics } = options;
  const headerRules: UpstreamHeaderRules = { ownCookies: options.ownCookies, forwardAuthorization: gateway.forwardAuthorization, trustProxy };
  const home = '/profile';

  // Answering here ends the request (Fastify stops at a sent reply); returning nothing lets the proxy handler run.
  async function decide(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    const verdict = await check(request);
    metrics.forwardAuthDecision(verdict.outcome === 'deny-unauthenticated' ? 'sign-in' : verdict.outcome);
    if (verdict.outcome === 'forbidden') {
      if (verdict.refused) return answerProxyError(request, reply, 'GATEWAY_TARGET_REFUSED', verdict.refused, home);
      return answerProxyError(request, reply, 'FORBIDDEN', 'The access rules do not let you open this address.', home);
    }
    if (verdict.outcome === 'deny-unauthenticated') {
      if (isBrowserNavigation(request)) return reply.redirect(verdict.signIn, 302);
      return answerProxyError(request, reply, 'AUTH_REQUIRED', 'Sign in, or send a Gatehouse bearer token.', home);
    }
    const upstream = upstreamFor(request, gateway, policy, trustProxy);
    if (upstream === null) return answerProxyError(request, reply, 'NOT_FOUND', 'No upstream serves this path.', home);
    passages.set(request, { upstream, identity: verdict.headers });
    return undefined;
  }

  // Loaded only when an upstream is configured: the plugin brings undici, ws and reply-from (about 170 modules), which a
  // server without the proxy would parse at every start for nothing.
  const { default: fastifyHttpProxy } = await import('@fastify/http-proxy');
  // Its own scope: Gatehouse's JSON parser (and its body limit) must never see a proxied body; the plugin streams them.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    // The body goes on through a pass-through: when the upstream fails, undici destroys the stream it was given, and
    // that must not be the client's connection, which still has to receive the 502 page.
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload.pipe(new PassThrough())));
    await scope.register(fastifyHttpProxy, proxyPluginOptions());
  });

  function proxyPluginOptions(): FastifyHttpProxyOptions & { websocket: true } {
    return {
    upstream: '',
    websocket: true,
    proxyPayloads: false,
    // The decision is ours (the pre-handler); the hook still resolves who is asking.
    config: { auth: 'public', csrf: 'origin-only' },
    internalRewriteLocationHeader: false,
    preHandler: decide,
    undici: {
      connectTimeout: gateway.proxyConnectTimeoutMs,
      headersTimeout: gateway.proxyHeadersTimeoutMs,
      // Streams have no total limit; a body that stalls for this long is cut.
      bodyTimeout: 300_000,
      // reply-from turns certificate checks off unless told otherwise: an upstream over https must prove who it is.
      connect: { rejectUnauthorized: true },
      tls: { rejectUnauthorized: true },
    } as Record<string, unknown>,
    replyOptions: {
      getUpstream: (request) => passageOf(request as FastifyRequest).upstream,
      rewriteRequestHeaders: (request, headers) => upstreamRequestHeaders(request as FastifyRequest, headers, passageOf(request as FastifyRequest).identity, headerRules),
      rewriteHeaders: (headers, request) => {
        upstreamAnswered.add(request as FastifyRequest);
        return headers;
      },
      // A proxy must not repeat requests on its own (503 answers are the upstream's to give).
      retryDelay: () => null,
      onError: (reply, { error }) => {
        const request = reply.request as FastifyRequest;
        upstreamAnswered.delete(request);
        const timeout = (error as { statusCode?: number }).statusCode === 504;
        request.log.warn({ err: error, upstream: passages.get(request)?.upstream }, timeout ? 'upstream timed out' : 'upstream unavailable');
        void answerProxyError(request, reply as FastifyReply, timeout ? 'GATEWAY_UPSTREAM_TIMEOUT' : 'GATEWAY_UPSTREAM_UNAVAILABLE', timeout ? 'Try again in a moment.' : 'Try again later; the operators can see why in the log.', home);
      },
    },
    wsClientOptions: {
      handshakeTimeout: gateway.proxyConnectTimeoutMs,
      rewriteRequestHeaders: (_headers: Record<string, string>, request: FastifyRequest) => {
        const all = upstreamRequestHeaders(request, request.headers, passageOf(request).identity, headerRules);
        // ws writes its own handshake headers; only the end-to-end ones travel.
        for (const name of ['host', 'connection', 'upgrade', 'sec-websocket-key', 'sec-websocket-version', 'sec-websocket-extensions', 'sec-websocket-protocol', 'content-length']) delete all[name];
        return all;
      },
    } as Record<string, unknown>,
    };
  }
}
