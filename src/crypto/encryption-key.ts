import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GatehouseError } from '../errors/index.js';

/**
 * The 32-byte key that encrypts secrets at rest. Configured (GATEHOUSE_ENCRYPTION_KEY, required in production), or in
 * development generated once under the data folder (mode 0600) so restarts can still read what was stored.
 */
export function resolveEncryptionKey(input: { configured: string | null; dataDir: string; production: boolean }): Buffer {
  if (input.configured) return Buffer.from(input.configured, 'base64');
  if (input.production) throw new GatehouseError('CONFIG_UNSAFE_FOR_PRODUCTION', 'GATEHOUSE_ENCRYPTION_KEY is required in production.');
  const file = join(input.dataDir, 'encryption.key');
  try {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length === 32) return key;
    throw new GatehouseError('CONFIG_INVALID', `${file} does not hold a base64 32-byte key; delete it to make a new one (stored provider tokens are then lost).`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(input.dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}
