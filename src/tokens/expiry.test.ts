import { describe, expect, it } from 'vitest';
import { parseTokenExpiry, TOKEN_EXPIRY_CHOICES } from './expiry.js';

const codeOf = (value: string, allowUnlimited = true) => {
  try {
    parseTokenExpiry(value, { allowUnlimited });
    return 'ok';
  } catch (error) {
    return (error as { code: string }).code;
  }
};

describe('JWTTokenExpiry choices', () => {
  it.each([
    ['OneHour', 3600], ['1', 86_400], ['7', 604_800], ['30', 2_592_000], ['60', 5_184_000], ['90', 7_776_000], ['Unlimited', null],
  ] as const)('%s -> %s seconds', (value, seconds) => {
    expect(parseTokenExpiry(value, { allowUnlimited: true })).toBe(seconds);
  });

  it('covers exactly OpenMetadata\'s seven values', () => {
    expect([...TOKEN_EXPIRY_CHOICES]).toEqual(['OneHour', '1', '7', '30', '60', '90', 'Unlimited']);
  });

  it('refuses everything else with TOKEN_EXPIRY_INVALID, and Unlimited when forbidden', () => {
    for (const bad of ['', '365', '2', 'onehour', '7 ', '07', '1e1', 'Infinity', 'toString', '__proto__']) expect(codeOf(bad), bad).toBe('TOKEN_EXPIRY_INVALID');
    expect(codeOf('Unlimited', false)).toBe('TOKEN_UNLIMITED_FORBIDDEN');
  });
});
