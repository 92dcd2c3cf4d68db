import type { ErrorEntry } from './entry.js';
import { coreErrors } from './codes/core.js';
import { authErrors } from './codes/auth.js';
import { tokenErrors } from './codes/tokens.js';
import { ssoErrors } from './codes/sso.js';
import { gatewayErrors } from './codes/gateway.js';

/**
 * The one catalogue of error codes. Each area keeps its rows in codes/<area>.ts;
 * docs/errors.md must list every code (a test checks it).
 */
export const catalogue = {
  ...coreErrors,
  ...authErrors,
  ...tokenErrors,
  ...ssoErrors,
  ...gatewayErrors,
} as const satisfies Record<string, ErrorEntry>;

export type ErrorCode = keyof typeof catalogue;
