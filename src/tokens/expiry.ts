import { GatehouseError } from '../errors/index.js';

/** OpenMetadata's JWTTokenExpiry values. */
export const TOKEN_EXPIRY_CHOICES = ['OneHour', '1', '7', '30', '60', '90', 'Unlimited'] as const;
export type TokenExpiry = (typeof TOKEN_EXPIRY_CHOICES)[number];

const DAY = 86_400;

/** Seconds of validity, or null for Unlimited. */
export function parseTokenExpiry(value: string, options: { allowUnlimited: boolean }): number | null {
  switch (value) {
    case 'OneHour':
      return 3600;
    case '1':
    case '7':
    case '30':
    case '60':
    case '90':
      return Number(value) * DAY;
    case 'Unlimited':
      if (!options.allowUnlimited) throw new GatehouseError('TOKEN_UNLIMITED_FORBIDDEN');
      return null;
    default:
      throw new GatehouseError('TOKEN_EXPIRY_INVALID', `Got "${value.slice(0, 20)}".`);
  }
}
