import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running sample catalog: the upstream `gatehouse start` puts behind the built-in proxy. */
export interface SampleCatalog {
  /** Its origin on loopback, e.g. http://127.0.0.1:40123. */
  readonly url: string;
  close(): Promise<void>;
}

const TABLES = [
  { fullyQualifiedName: 'warehouse.sales.orders', description: 'One row per order', owner: 'data-stewards' },
  { fullyQualifiedName: 'warehouse.sales.customers', description: 'Customer master data', owner: 'data-stewards' },
  { fullyQualifiedName: 'lake.events.page_views', description: 'Raw click stream', owner: 'data-consumers' },
];

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function one(request: IncomingMessage, name: string): string {
  const value = request.headers[name];
  const text = Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Who Gatehouse says is asking: the identity headers are the only thing this app trusts (it is reachable only from Gatehouse). */
function caller(request: IncomingMessage) {
  return {
    user: one(request, 'x-auth-request-user'),
    email: one(request, 'x-auth-request-email'),
    // Administrators are a flag, not a role, in Gatehouse; the page names them as OpenMetadata does.
    roles: [...(one(request, 'x-gatehouse-admin') === 'true' ? ['Admin'] : []), ...one(request, 'x-gatehouse-roles').split(',').filter(Boolean)],
    method: one(request, 'x-gatehouse-auth-method'),
  };
}

function page(request: IncomingMessage): string {
  const who = caller(request);
  const greeting = who.user ? `Hello, ${escape(who.user)}!` : 'Hello, stranger!';
  return [
    '<!doctype html><html lang="en"><meta charset="utf-8"><title>Sample catalog</title>',
    `<h1>${greeting}</h1>`,
    `<p>Your roles: <strong>${escape(who.roles.join(', ') || 'none')}</strong> (signed in by ${escape(who.method || 'nobody')}${who.email ? `, ${escape(who.email)}` : ''}).</p>`,
    '<p>This page is a sample catalog behind Gatehouse\'s built-in proxy: Gatehouse signed you in, checked the access rules and told this app who you are in identity headers.</p>',
    '<ul>',
    ...TABLES.map((t) => `<li><code>${escape(t.fullyQualifiedName)}</code>: ${escape(t.description)}</li>`),
    '</ul>',
    '<p>Its API: <a href="/catalog/api/tables">/catalog/api/tables</a> (call it with a bot token: <code>Authorization: Bearer &lt;token&gt;</code>).</p>',
    '<p><a href="/profile">Your Gatehouse profile</a></p></html>',
  ].join('\n');
}

function answer(request: IncomingMessage, response: ServerResponse): void {
  const path = (request.url ?? '/').split('?')[0] ?? '/';
  if (path === '/' || path === '/catalog') {
    response.writeHead(302, { location: '/catalog/' }).end();
  } else if (path === '/catalog/') {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(request));
  } else if (path === '/catalog/api/tables') {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: TABLES, requestedBy: caller(request) }));
  } else {
    response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'NOT_FOUND', path }));
  }
}

/** Starts the sample catalog on a free loopback port (development demo only; never started by `serve`). */
export async function startSampleCatalog(): Promise<SampleCatalog> {
  const server = createServer((request, response) => {
    request.resume();
    answer(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
