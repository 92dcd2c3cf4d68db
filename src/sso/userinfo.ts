import * as oidc from 'openid-client';
import { GatehouseError } from '../errors/index.js';
import { classifyLibraryError } from './library-errors.js';
import type { ResolvedProvider } from './provider-registry.js';

// Claims that describe the token itself: they always come from the verified ID token, never from userinfo.
const PROTOCOL_CLAIMS = new Set(['iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'nonce', 'azp', 'auth_time', 'sid', 'at_hash', 'c_hash', 'acr', 'amr', 'jti']);

/**
 * Reads userinfo (OneLogin /me) when the provider has the endpoint; its `sub` must equal the ID token's (checked by
 * openid-client through expectedSubject and again here). Undefined when the provider has no userinfo endpoint.
 */
export async function fetchVerifiedUserInfo(
  provider: ResolvedProvider,
  accessToken: string,
  subject: string,
): Promise<Record<string, unknown> | undefined> {
  if (!provider.metadata.userinfo_endpoint) return undefined;
  let info: Record<string, unknown>;
  try {
    info = await oidc.fetchUserInfo(provider.configuration, accessToken, subject);
  } catch (err) {
    throw classifyLibraryError(err, 'userinfo', provider.settings.id);
  }
  if (info['sub'] !== subject) {
    throw new GatehouseError('SSO_USERINFO_SUB_MISMATCH', undefined, { internal: { provider: provider.settings.id } });
  }
  return info;
}

/** ID token claims with userinfo's profile claims (fresher) on top; protocol claims stay those of the ID token. */
export function mergeClaims(idClaims: Readonly<Record<string, unknown>>, userinfo: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...idClaims };
  for (const [key, value] of Object.entries(userinfo ?? {})) {
    if (!PROTOCOL_CLAIMS.has(key)) merged[key] = value;
  }
  return merged;
}
