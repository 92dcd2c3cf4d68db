import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from './app-types.js';
import { errorBody } from './error-reply.js';
import { sendUiIndex } from './static-ui.js';

/** Without a built UI only. Kept small and without inline script or style: the CSP (static-ui.ts) allows neither. */
const NOT_FOUND_PAGE = (requestId: string) =>
  '<!doctype html><html lang="en"><meta charset="utf-8"><title>Page not found - Gatehouse</title>' +
  '<h1>Page not found</h1><p>There is no page at this address.</p><p><a href="/">Go to Gatehouse</a></p>' +
  `<p>Request id: ${requestId}</p></html>`;

/** A route path as find-my-way reads it: `:name` is one segment, `*` the rest. */
export function patternOf(url: string): RegExp {
  const source = url
    .split(/(:[A-Za-z0-9_]+|\*)/)
    .map((part) => (part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

/**
 * Records every route's methods as it is registered, so the not-found handler can tell "no such address" (404) from
 * "this address, another method" (405 with Allow). Call before any route is registered.
 */
export function trackRouteMethods(app: App): (path: string) => string[] {
  const routes: { pattern: RegExp; methods: string[] }[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    routes.push({ pattern: patternOf(route.url), methods: [...methods, ...(methods.includes('GET') ? ['HEAD'] : [])] });
  });
  return (path) => [...new Set(routes.filter((r) => r.pattern.test(path)).flatMap((r) => r.methods))].sort();
}

/** A browser navigating (a page, not an API call or an asset fetch) is better served by a page than by JSON. */
function isPageNavigation(request: FastifyRequest, path: string): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (path === '/api' || path.startsWith('/api/')) return false;
  const accept = request.headers.accept;
  return typeof accept === 'string' && accept.toLowerCase().includes('text/html');
}

/**
 * 405 with Allow for a known address and another method; 404 otherwise: for a browser the UI itself (whose router
 * shows its "Page not found" page, in the same layout as every other page), for programs JSON.
 */
export function answerNotFound(allowedMethods: (path: string) => string[]) {
  return (request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const path = request.url.split('?')[0] ?? '';
    const allowed = allowedMethods(path);
    if (allowed.length > 0 && !allowed.includes(request.method)) {
      return reply.status(405).header('allow', allowed.join(', ')).send(errorBody('REQUEST_METHOD_NOT_ALLOWED', request.id));
    }
    if (isPageNavigation(request, path)) {
      if (reply.server.uiBuilt) return sendUiIndex(reply.status(404));
      return reply.status(404).type('text/html; charset=utf-8').send(NOT_FOUND_PAGE(request.id));
    }
    return reply.status(404).send(errorBody('NOT_FOUND', request.id));
  };
}
