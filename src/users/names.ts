import { GatehouseError } from '../errors/index.js';

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** User and bot names: lower-case, URL-safe, as OpenMetadata derives them (the part of an e-mail before @). */
export function normalizeUserName(raw: string): string {
  const name = raw.trim().toLowerCase();
  if (!NAME.test(name)) {
    throw new GatehouseError(
      'REQUEST_INVALID',
      'A name must start with a letter or digit and hold only lower-case letters, digits, ".", "_" and "-" (at most 64).',
    );
  }
  return name;
}

export function normalizeEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    throw new GatehouseError('REQUEST_INVALID', 'The e-mail address is not valid.');
  }
  return email;
}
