export { createKeyRing } from './key-ring.js';
export type { KeyInfo, KeyRing, KeyRingOptions } from './key-ring.js';
export { generateRsaKeyPair, halvesMatch, keyBits, loadPrivateKey, loadPublicKey, thumbprintKid, writeKeyFiles } from './key-files.js';
export type { KeyPair } from './key-files.js';
