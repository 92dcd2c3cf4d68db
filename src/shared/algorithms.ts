/**
 * The one table of JWS signature algorithms Gatehouse accepts, by kind of token. Configuration, the bearer verifier,
 * the SSO module, the key ring, the signer and `gatehouse token inspect` all read it. Never "none" (unsigned) or HMAC
 * (HS*): with HMAC anyone holding the published key, or an ID token's client secret, could sign.
 */

/** The algorithm Gatehouse (and OpenMetadata) signs its own tokens with. */
export const OWN_SIGNING_ALGORITHM = 'RS256';

/** Own tokens: RS256 only. */
export const OWN_TOKEN_ALGORITHMS: readonly string[] = [OWN_SIGNING_ALGORITHM];

const RSA_PKCS1 = ['RS256', 'RS384', 'RS512'] as const;

/**
 * Trusted issuers' bearer tokens, and the choices the configuration offers (AUTHENTICATION_TOKEN_VALIDATION_ALGORITHM
 * and a provider's `algorithms`): RSA signatures only, because their keys come from JWKS as RSA keys.
 */
export const EXTERNAL_TOKEN_ALGORITHMS: readonly TokenAlgorithm[] = RSA_PKCS1;
export type TokenAlgorithm = (typeof RSA_PKCS1)[number];

/**
 * ID and logout tokens from an OIDC provider: any asymmetric signature (tests and presets may use more than the
 * configuration offers). Asymmetric only: an HMAC ID token would be "signed" with the client secret.
 */
export const ID_TOKEN_ALGORITHMS: readonly string[] = [...RSA_PKCS1, 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/** True when `alg` is in `allowed` (a typed lookup for the readonly tables above). */
export function isAllowedAlgorithm(allowed: readonly string[], alg: unknown): alg is string {
  return typeof alg === 'string' && allowed.includes(alg);
}
