import type { FastifyReply, FastifyRequest } from 'fastify';
import { catalogue, type ErrorCode } from '../../errors/index.js';
import { errorBody } from '../error-reply.js';

/**
 * A browser navigating to a page (rather than a script or an API client): it gets a sign-in redirect or an HTML page.
 * API clients (a bearer token, a non-GET method, or JSON accepted rather than HTML) get JSON and a status code.
 */
export function isBrowserNavigation(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (request.headers.authorization !== undefined) return false;
  const mode = request.headers['sec-fetch-mode'];
  if (mode !== undefined) return mode === 'navigate';
  const accept = request.headers.accept;
  return typeof accept === 'string' && accept.toLowerCase().includes('text/html');
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// Small, without inline script or style (the pages' CSP allows neither), like the not-found page.
function page(title: string, text: string, requestId: string, link?: { href: string; label: string }): string {
  return (
    `<!doctype html><html lang="en"><meta charset="utf-8"><title>${escape(title)} - Gatehouse</title>` +
    `<h1>${escape(title)}</h1><p>${escape(text)}</p>` +
    (link ? `<p><a href="${escape(link.href)}">${escape(link.label)}</a></p>` : '') +
    `<p>Request id: ${escape(requestId)}</p></html>`
  );
}

const TITLES: Partial<Record<ErrorCode, string>> = {
  FORBIDDEN: 'Access denied',
  GATEWAY_UPSTREAM_UNAVAILABLE: 'Application unavailable',
  GATEWAY_UPSTREAM_TIMEOUT: 'Application not answering',
};

/** A refusal or an upstream failure, as a page for browsers and as the usual error JSON for everyone else. */
export function answerProxyError(request: FastifyRequest, reply: FastifyReply, code: ErrorCode, detail: string, home: string): FastifyReply {
  const entry = catalogue[code];
  void reply.status(entry.status).header('cache-control', 'no-store');
  if (!isBrowserNavigation(request)) return reply.send(errorBody(code, request.id, detail));
  const text = `${entry.message} ${detail}`;
  return reply.type('text/html; charset=utf-8').send(page(TITLES[code] ?? entry.message, text, request.id, { href: home, label: 'Your Gatehouse profile' }));
}
