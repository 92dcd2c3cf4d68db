export { createKeyRing } from './key-ring.js';
export { createKeyReloader, KEY_RELOAD_INTERVAL_MS } from './key-reload.js';
export type { KeyReloader, KeyReloaderDeps } from './key-reload.js';
export type { KeyInfo, KeyRing, KeyRingOptions } from './key-ring.js';
export { generateRsaKeyPair, halvesMatch, keyBits, loadPrivateKey, loadPublicKey, thumbprintKid, writeKeyFiles } from './key-files.js';
export type { KeyPair } from './key-files.js';
export { keyFingerprint, PUBLISHED_KEY_THUMBPRINTS } from './known-keys.js';
export { checkProductionKeys, MIN_PRODUCTION_BITS } from './production-check.js';
export type { KeyCheckInput, KeyProblem, KeyProblemKind, StoredKeyFacts } from './production-check.js';
