import { GatehouseError } from '../errors/index.js';
import { INPUT_LIMITS, NAME_RULE, NAME_RULE_WORDS } from '../shared/index.js';

/** User and bot names: lower-case, URL-safe, as OpenMetadata derives them (the part of an e-mail before @). */
export function normalizeUserName(raw: string): string {
  const name = raw.trim().toLowerCase();
  if (!NAME_RULE.test(name)) throw new GatehouseError('REQUEST_INVALID', NAME_RULE_WORDS);
  return name;
}

export function normalizeEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (email.length > INPUT_LIMITS.email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    throw new GatehouseError('REQUEST_INVALID', 'The e-mail address is not valid.');
  }
  return email;
}
