import { defineErrors } from '../entry.js';

const inspect = 'Run `gatehouse token inspect <jwt> --server <url>` to see every check.';

/** Signing keys, bearer tokens, bots and personal access tokens. */
export const tokenErrors = defineErrors({
  AUTH_TOKEN_INVALID: { status: 401, message: 'The bearer token is not valid.', fix: `Send "Authorization: Bearer <jwt>" with a token issued by Gatehouse or a trusted issuer. ${inspect}` },
  AUTH_TOKEN_EXPIRED: { status: 401, message: 'The bearer token has expired.', fix: 'Get a new token (sign in again, or generate a new bot or personal token).' },
  AUTH_TOKEN_NOT_YET_VALID: { status: 401, message: 'The bearer token is not valid yet.', fix: 'Check the clocks of the issuer and of Gatehouse (NTP); OIDC_MAX_CLOCK_SKEW sets the tolerance.' },
  AUTH_TOKEN_UNKNOWN_KID: { status: 401, message: 'The token was signed with a key Gatehouse does not know.', fix: `The key may be retired, or the issuer's JWKS URL is missing from AUTHENTICATION_PUBLIC_KEYS. ${inspect}` },
  AUTH_TOKEN_WRONG_ISSUER: { status: 401, message: 'The token comes from an issuer Gatehouse does not trust.', fix: 'Add the issuer\'s JWKS URL to AUTHENTICATION_PUBLIC_KEYS, or check JWT_ISSUER.' },
  AUTH_TOKEN_WRONG_AUDIENCE: { status: 401, message: 'The token was issued for another application.', fix: 'Use a token issued for this client id (AUTHENTICATION_CLIENT_ID).' },
  AUTH_TOKEN_ALGORITHM: { status: 401, message: 'The token uses a signing algorithm that is not allowed.', fix: 'Gatehouse accepts RS256 (and RS384/RS512 when configured); never "none" or HMAC.' },
  AUTH_TOKEN_SIGNATURE: { status: 401, message: 'The token signature does not verify.', fix: `The token was altered or signed with another key. ${inspect}` },
  AUTH_TOKEN_CLAIMS: { status: 401, message: 'The token is missing a required claim or has one of the wrong type.', fix: 'Use a token issued by Gatehouse or a standard OIDC ID token.' },
  AUTH_TOKEN_REVOKED: { status: 401, message: 'The token has been revoked, replaced, or its user is disabled or deleted.', fix: 'Generate a new token; a bot has only its newest token.' },
  AUTH_TOKEN_UNKNOWN_USER: { status: 401, message: 'The token names a user that does not exist here.', fix: 'Sign in once through the web UI (self-signup creates the user), or ask an administrator to create it.' },
  AUTH_TOKEN_DOMAIN: { status: 403, message: 'The token\'s user is outside the allowed domains.', fix: 'Operators set AUTHORIZER_PRINCIPAL_DOMAIN, AUTHORIZER_ENFORCE_PRINCIPAL_DOMAIN and AUTHORIZER_ALLOWED_DOMAINS.' },
  TOKEN_EXPIRY_INVALID: { status: 400, message: 'The token expiry is not one of the allowed choices.', fix: 'Use OneHour, 1, 7, 30, 60, 90 (days) or Unlimited.' },
  TOKEN_UNLIMITED_FORBIDDEN: { status: 400, message: 'Tokens without expiry are not allowed here.', fix: 'Choose an expiry; operators allow Unlimited with GATEHOUSE_ALLOW_UNLIMITED_TOKENS=true.' },
  TOKEN_BOTS_ONLY: { status: 400, message: 'Bot tokens can only be generated for bot users.', fix: 'Create a bot at /api/v1/bots and use its bot user id; people use personal access tokens.' },
  TOKEN_NO_PERSONAL_FOR_BOTS: { status: 400, message: 'Bots cannot have personal access tokens.', fix: 'Generate the bot\'s token with PUT /api/v1/users/generateToken/{botUserId}.' },
  KEYS_MISSING: { status: 500, message: 'No signing key is available.', fix: 'Set RSA_PRIVATE_KEY_FILE_PATH (and RSA_PUBLIC_KEY_FILE_PATH, JWT_KEY_ID); `gatehouse keys generate --out <dir>` makes a pair.' },
  KEYS_INVALID: { status: 500, message: 'A signing key file cannot be used.', fix: 'Use an RSA key of 2048 bits or more in PKCS#8 (private) and X.509 SPKI (public), DER or PEM, whose halves match.' },
  KEYS_FILE_MANAGED: { status: 409, message: 'The signing key comes from files, so it is rotated by replacing the files.', fix: 'Generate a new pair, point RSA_* and JWT_KEY_ID at it and restart; the old key keeps verifying until retired.' },
  KEY_ACTIVE: { status: 409, message: 'The active signing key cannot be retired.', fix: 'Rotate first; then retire the old key once its tokens are no longer needed.' },
});
