import type { App } from '../app-types.js';
import type { AppDeps } from '../deps.js';
import { registerAuditRoutes } from './audit.js';
import { registerBackchannelLogout } from './backchannel-logout.js';
import { registerBasicAuthRoutes } from './basic-auth.js';
import { registerBotRoutes } from './bots.js';
import { registerGatewayRoutes } from './gateway.js';
import { registerIntrospectionRoutes } from './introspection.js';
import { registerKeyRoutes } from './keys.js';
import { registerMetricsRoutes } from './metrics.js';
import { registerOpenMetadataExtraRoutes } from './openmetadata-extras.js';
import { registerPersonalTokenRoutes } from './personal-tokens.js';
import { registerDiagnosticsRoutes } from './diagnostics.js';
import { registerRoleRoutes } from './roles.js';
import { registerSessionLoginRoute } from './session-login.js';
import { registerSessionRoutes } from './sessions.js';
import { registerSsoRoutes } from './sso.js';
import { registerSystemRoutes } from './system.js';
import { registerUserRoutes } from './users.js';

/** Every route file, registered in one place. */
export async function registerRoutes(app: App, deps: AppDeps): Promise<void> {
  registerMetricsRoutes(app, deps);
  registerSystemRoutes(app, deps);
  registerBasicAuthRoutes(app, deps);
  registerUserRoutes(app, deps);
  registerOpenMetadataExtraRoutes(app, deps);
  registerRoleRoutes(app, deps);
  registerAuditRoutes(app, deps);
  registerSsoRoutes(app, deps);
  registerSessionRoutes(app, deps);
  registerSessionLoginRoute(app, deps);
  registerDiagnosticsRoutes(app, deps);
  registerBotRoutes(app, deps);
  registerPersonalTokenRoutes(app, deps);
  registerKeyRoutes(app, deps);
  await registerBackchannelLogout(app, deps);
  await registerIntrospectionRoutes(app, deps);
  await registerGatewayRoutes(app, deps);
}
