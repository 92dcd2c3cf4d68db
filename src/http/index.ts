export { buildApp } from './build-app.js';
export type { App } from './app-types.js';
export type { AppDeps } from './deps.js';
export type { RequestAuthenticator } from './authenticate.js';
export { startMetricsServer } from './metrics-server.js';
