import { defineErrors } from '../entry.js';

/** Signing keys, bearer tokens, bots and personal access tokens. */
export const tokenErrors = defineErrors({
  AUTH_TOKEN_INVALID: {
    status: 401,
    message: 'The bearer token is not valid.',
    fix: 'Send a token issued by Gatehouse or a trusted issuer; `gatehouse token inspect <jwt>` explains why it is refused.',
  },
});
