import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyRequest } from 'fastify';
import { isIdentityHeaderName } from '../../gateway/index.js';

export interface UpstreamHeaderRules {
  /** Gatehouse's own cookies (session, sign-in transaction): never sent to the upstream. */
  readonly ownCookies: ReadonlySet<string>;
  readonly forwardAuthorization: boolean;
  /** server.trustProxy: the client's X-Forwarded-For chain comes from a proxy we trust and is extended, not replaced. */
  readonly trustProxy: boolean;
}

// Headers about the hop that only we may state; a client's own values would let it pose as another address or host.
const HOP_FACTS = ['forwarded', 'x-real-ip', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port', 'x-forwarded-prefix'];

function withoutOwnCookies(cookie: string | string[] | undefined, own: ReadonlySet<string>): string | undefined {
  if (cookie === undefined) return undefined;
  const pairs = (Array.isArray(cookie) ? cookie : [cookie]).flatMap((c) => c.split(';')).map((c) => c.trim()).filter(Boolean);
  // Names compare exactly as browsers send them; a look-alike name is a different cookie the upstream may have set.
  const kept = pairs.filter((pair) => !own.has((pair.includes('=') ? pair.slice(0, pair.indexOf('=')) : pair).trim()));
  return kept.length > 0 ? kept.join('; ') : undefined;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The headers the upstream receives: the client's, minus identity look-alikes (any case, `_` or duplicate), Gatehouse's
 * cookies, Authorization (unless configured) and hop facts; plus our identity headers and X-Forwarded-For/Proto/Host.
 */
export function upstreamRequestHeaders(
  request: FastifyRequest,
  incoming: IncomingHttpHeaders,
  identity: Readonly<Record<string, string>>,
  rules: UpstreamHeaderRules,
): Record<string, string | string[] | undefined> {
  const headers: Record<string, string | string[] | undefined> = {};
  for (const [name, value] of Object.entries(incoming)) {
    const lower = name.toLowerCase();
    if (isIdentityHeaderName(lower) || HOP_FACTS.includes(lower.replaceAll('_', '-'))) continue;
    if (lower === 'authorization' && !rules.forwardAuthorization) continue;
    if (lower === 'cookie') {
      const cookie = withoutOwnCookies(value, rules.ownCookies);
      if (cookie !== undefined) headers['cookie'] = cookie;
      continue;
    }
    headers[lower] = value;
  }
  const peer = request.raw.socket.remoteAddress ?? '';
  const chain = rules.trustProxy ? first(incoming['x-forwarded-for'])?.trim() : undefined;
  headers['x-forwarded-for'] = chain ? `${chain}, ${peer}` : peer;
  // Fastify reads X-Forwarded-Proto/Host only when trustProxy is on; otherwise these are this connection's own facts.
  headers['x-forwarded-proto'] = request.protocol;
  headers['x-forwarded-host'] = request.host;
  return { ...headers, ...identity };
}
