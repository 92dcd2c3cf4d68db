export { loadDevIdpConfig } from './config.js';
export type { DevIdpClient, DevIdpConfig, DevIdpUser } from './config.js';
export { startDevIdp } from './server.js';
export type { RunningDevIdp } from './server.js';
