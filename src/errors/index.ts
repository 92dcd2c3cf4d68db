export { GatehouseError, isGatehouseError } from './gatehouse-error.js';
export { catalogue } from './catalogue.js';
export type { ErrorCode } from './catalogue.js';
export type { ErrorEntry } from './entry.js';
