import { DEFAULT_ROLES } from '../../authz/index.js';
import { createAccessPolicy, proxyConfigured } from '../../gateway/index.js';
import { sessionCookie, transactionCookie } from '../../sessions/index.js';
import type { App } from '../app-types.js';
import type { AppDeps } from '../deps.js';
import { createProxyCheck } from './check.js';
import { registerProxy } from './register-proxy.js';

export { isUpstreamResponse } from './register-proxy.js';
export type { ProxyCheck, ProxyVerdict } from './check.js';

/** Whether the built-in proxy serves the root path (then the UI's "/" belongs to the upstream). */
export function proxyOwnsRoot(deps: AppDeps): boolean {
  return proxyConfigured(deps.config.gateway);
}

/** Registers the built-in proxy when an upstream is configured; the access rules were checked by the start-up checks. */
export async function registerGatewayProxy(app: App, deps: AppDeps): Promise<void> {
  const { gateway, server } = deps.config;
  if (!proxyConfigured(gateway)) return;
  const roleNames = new Set([...DEFAULT_ROLES.map((r) => r.name), ...(await deps.roles.list()).map((r) => r.name)]);
  // Only for choosing the upstream by the canonical path; the decision itself is deps.gateway's.
  const policy = createAccessPolicy({ rules: gateway.rules, defaultAccess: gateway.default, roleNames, caseInsensitiveHosts: gateway.caseInsensitiveHosts });
  await registerProxy(app, {
    gateway,
    policy,
    check: createProxyCheck({ gateway: deps.gateway, trustForwardedHost: server.trustProxy }),
    trustProxy: server.trustProxy,
    metrics: deps.metrics,
    ownCookies: new Set([sessionCookie(server.publicUrl).name, transactionCookie(server.publicUrl, 0).name]),
  });
}
