import { GatehouseError } from '../errors/index.js';
import { COMMON_PASSWORDS } from './common-passwords.js';

export const MAX_PASSWORD_LENGTH = 256;

/**
 * NIST 800-63B style: a minimum length, a generous maximum, no composition rules, Unicode welcome, and a refusal of
 * passwords found in breach lists. Length counts code points after NFC normalisation.
 */
export function checkNewPassword(password: string, options: { minLength: number; userName?: string }): void {
  const normalized = password.normalize('NFC');
  const length = [...normalized].length;
  if (length < options.minLength) {
    throw new GatehouseError('AUTH_PASSWORD_WEAK', `Use at least ${options.minLength} characters.`);
  }
  if (length > MAX_PASSWORD_LENGTH) {
    throw new GatehouseError('AUTH_PASSWORD_WEAK', `Use at most ${MAX_PASSWORD_LENGTH} characters.`);
  }
  const lower = normalized.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) {
    throw new GatehouseError('AUTH_PASSWORD_WEAK', 'This password is one of the most commonly used; choose another.');
  }
  if (options.userName && lower.includes(options.userName.toLowerCase()) && options.userName.length >= 3) {
    throw new GatehouseError('AUTH_PASSWORD_WEAK', 'The password must not contain the user name.');
  }
  if (/^(.)\1+$/u.test(normalized)) {
    throw new GatehouseError('AUTH_PASSWORD_WEAK', 'The password must not be one character repeated.');
  }
}
