/**
 * OpenMetadata settings of the authentication surface that Gatehouse does not act on, each with what Gatehouse does
 * instead. An operator who sets one gets a warning at start naming it: never silence (docs/openmetadata-compat.md).
 */
export const UNSUPPORTED_OPENMETADATA_SETTINGS: Readonly<Record<string, string>> = {
  AUTHENTICATION_RESPONSE_TYPE: 'Gatehouse always uses the authorization code flow with PKCE (no implicit id_token flow).',
  OIDC_RESPONSE_TYPE: 'Gatehouse always uses response_type=code.',
  OIDC_USE_NONCE: 'Gatehouse always sends and checks a nonce.',
  OIDC_DISABLE_PKCE: 'Gatehouse always uses PKCE (S256).',
  OIDC_TENANT: 'Azure tenants are not supported; use AUTHENTICATION_AUTHORITY.',
  OIDC_TYPE: 'The provider comes from AUTHENTICATION_PROVIDER.',
  AUTHENTICATION_JWT_PRINCIPAL_CLAIMS_ROLES: 'Roles come from groups (AUTHORIZER_USE_ROLES_FROM_PROVIDER and the group mapping).',
  AUTHENTICATION_LDAP_HOST: 'LDAP sign-in is not supported.',
  AUTHENTICATION_SAML_IDP_ENTITY_ID: 'SAML sign-in is not supported.',
  AUTHORIZER_ENABLE_SECURE_SOCKET: 'Gatehouse does not connect to the metadata server.',
};

/** The unsupported OpenMetadata settings present in `env`, with the reason for each. */
export function unsupportedSettingsIn(env: Readonly<Record<string, string | undefined>>): { name: string; reason: string }[] {
  return Object.entries(UNSUPPORTED_OPENMETADATA_SETTINGS)
    .filter(([name]) => env[name] !== undefined && env[name]?.trim() !== '')
    .map(([name, reason]) => ({ name, reason }));
}
