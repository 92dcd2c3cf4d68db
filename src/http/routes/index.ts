import type { App } from '../app-types.js';
import type { AppDeps } from '../deps.js';
import { registerAuditRoutes } from './audit.js';
import { registerBasicAuthRoutes } from './basic-auth.js';
import { registerRoleRoutes } from './roles.js';
import { registerSystemRoutes } from './system.js';
import { registerUserRoutes } from './users.js';

/** Every route file, registered in one place. */
export function registerRoutes(app: App, deps: AppDeps): void {
  registerSystemRoutes(app, deps);
  registerBasicAuthRoutes(app, deps);
  registerUserRoutes(app, deps);
  registerRoleRoutes(app, deps);
  registerAuditRoutes(app, deps);
}
