export { createRemoteJwks, JWKS_DEFAULTS } from './remote-jwks.js';
export type { FetchLike, JwksStatus, RemoteJwks, RemoteJwksOptions } from './remote-jwks.js';
export { importKeys, keyFitsAlgorithm } from './jwk-import.js';
export type { ImportedKey } from './jwk-import.js';
