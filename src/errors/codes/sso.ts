import { defineErrors } from '../entry.js';

/** Single sign-on (OIDC relying party) and sessions. */
export const ssoErrors = defineErrors({
  SSO_PROVIDER_UNKNOWN: {
    status: 400,
    message: 'No sign-in provider with that name is configured.',
    fix: 'Use one of the providers listed at /api/v1/system/config/auth.',
  },
});
