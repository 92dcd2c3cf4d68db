import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyReply } from 'fastify';
import type { App } from './app-types.js';
import type { AppDeps } from './deps.js';
import { ADMIN_PAGE_PATHS } from '../shared/index.js';
import { isUpstreamResponse, proxyOwnsRoot } from './proxy/index.js';

/**
 * Paths of the single-page app that the server answers with index.html (200). Only the pages that exist: any other
 * address a browser opens gets the same app with 404 (not-found.ts), whose router shows "Page not found".
 */
export const UI_ROUTES = ['/', '/profile', '/admin', ...ADMIN_PAGE_PATHS] as const;

const NOT_BUILT_PAGE =
  '<!doctype html><title>Gatehouse</title><h1>Gatehouse</h1><p>The web UI is not built. Run <code>npm run build</code> and restart; the API works meanwhile.</p>';

declare module 'fastify' {
  interface FastifyInstance {
    uiBuilt: boolean;
    /** index.html telling the UI where the API is, when it is not at /api (gateway.apiPrefix); null otherwise. */
    uiIndexWithApiPrefix: string | null;
  }
}

/** The UI reads this meta element to find the API (ui/src/api/client.ts). */
export const API_PREFIX_META = 'gatehouse-api-prefix';

/** Answers with the single-page app (whose router shows the page for the URL), or explains that it is not built. */
export function sendUiIndex(reply: FastifyReply): FastifyReply {
  void reply.header('cache-control', 'no-cache');
  if (reply.server.uiIndexWithApiPrefix !== null) return reply.type('text/html; charset=utf-8').send(reply.server.uiIndexWithApiPrefix);
  if (reply.server.uiBuilt) return reply.type('text/html; charset=utf-8').sendFile('index.html');
  return reply.status(503).type('text/html; charset=utf-8').send(NOT_BUILT_PAGE);
}

/**
 * Strict CSP: scripts and styles only from this origin (no inline code, no CDN); forms may post to the
 * sign-in providers only; nobody may frame the pages (click-jacking).
 */
export function contentSecurityPolicy(providerOrigins: readonly string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    `form-action 'self'${providerOrigins.map((o) => ` ${o}`).join('')}`,
  ].join('; ');
}

/** Serves the built React app (ui/dist) with the CSP; without a build, explains how to make one. */
export async function registerStaticUi(app: App, deps: AppDeps, uiDir: string): Promise<void> {
  const origins = [...new Set(deps.config.authentication.providers.map((p) => new URL(p.authority).origin))];
  const csp = contentSecurityPolicy(origins);
  const built = existsSync(join(uiDir, 'index.html'));
  app.decorate('uiBuilt', built);
  const prefix = deps.config.gateway.apiPrefix;
  // A meta element, not an inline script: the CSP allows no inline code. The prefix is a checked plain path.
  app.decorate('uiIndexWithApiPrefix', built && prefix !== ''
    ? readFileSync(join(uiDir, 'index.html'), 'utf8').replace('<head>', `<head>\n    <meta name="${API_PREFIX_META}" content="${prefix}" />`)
    : null);

  app.addHook('onSend', async (request, reply, payload) => {
    if (isUpstreamResponse(request)) return payload;
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('text/html')) {
      void reply.header('content-security-policy', csp);
      void reply.header('x-frame-options', 'DENY');
    }
    // Hashed asset names never change content: cache them for a long time.
    if (request.url.startsWith('/assets/') && reply.statusCode === 200) void reply.header('cache-control', 'public, max-age=31536000, immutable');
    return payload;
  });

  if (built) {
    // serve: false — only sendFile; our own routes carry the public auth flag (the plugin's routes would not).
    await app.register(fastifyStatic, { root: uiDir, serve: false, decorateReply: true });
    for (const path of ['/assets/*', '/favicon.svg']) {
      app.get(path, { config: { auth: 'public' }, schema: { hide: true } }, (request, reply) =>
        reply.sendFile(request.url.split('?')[0]?.slice(1) ?? ''),
      );
    }
  }
  // With the built-in proxy at the root, "/" is the upstream's home page; the UI starts at /profile or /signin.
  for (const path of UI_ROUTES.filter((p) => p !== '/' || !proxyOwnsRoot(deps))) {
    app.get(path, { config: { auth: 'public' }, schema: { hide: true } }, (_request, reply) => sendUiIndex(reply));
  }
}
