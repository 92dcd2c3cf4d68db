/**
 * The one table of signature algorithms Gatehouse accepts on bearer tokens; the verifier, its start-up check and
 * `gatehouse token inspect` all read it. Never "none" or HMAC: with HMAC anyone holding the published public key could
 * sign.
 */

/** Own tokens: RS256 only, the algorithm Gatehouse (and OpenMetadata) signs with. */
export const OWN_TOKEN_ALGORITHMS: readonly string[] = ['RS256'];

/**
 * Trusted issuers' tokens: RSA signatures only, because their keys come from JWKS as RSA keys;
 * AUTHENTICATION_TOKEN_VALIDATION_ALGORITHM picks among these.
 */
export const EXTERNAL_TOKEN_ALGORITHMS: readonly string[] = ['RS256', 'RS384', 'RS512'];
