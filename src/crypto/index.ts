export { newId, randomPassword, randomSecret, safeEqual, sha256Hex } from './random.js';
export { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from './password-hash.js';
export { resolveEncryptionKey } from './encryption-key.js';
export { decryptSecret, encryptSecret, parseEncryptionKey } from './secret-box.js';
export type { SecretKeyOptions } from './secret-box.js';
export { ARGON2_ENGINE, createPasswordHasher, eventLoopBusyProbe } from './password-hasher.js';
export type { HashSlot, PasswordEngine, PasswordHasher, PasswordHasherOptions } from './password-hasher.js';
