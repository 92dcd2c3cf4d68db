import { decodeJwt } from 'jose';
import * as oidc from 'openid-client';
import { randomSecret } from '../crypto/index.js';
import { GatehouseError } from '../errors/index.js';
import type { Clock, Logger } from '../shared/index.js';
import type { LogoutTokenReplayStore } from '../storage/index.js';
import { checkLogoutToken, type LogoutRequest } from './logout-token.js';
import type { ProviderRegistry } from './provider-registry.js';

export interface LogoutDeps {
  registry: ProviderRegistry;
  replay: LogoutTokenReplayStore;
  clock: Clock;
  logger: Logger;
  /** Oldest acceptable logout token (iat), seconds; also how long jtis are kept (default 600). */
  logoutTokenMaxAgeSeconds?: number;
}

/**
 * RP-initiated logout: the provider's end_session_endpoint with id_token_hint, post_logout_redirect_uri and state
 * (OneLogin requires the hint and an exact post-logout URI; some providers return to that URI only when a state is
 * present, so a fresh random one is sent when the caller gives none). Undefined when the provider has no such endpoint
 * or cannot be reached now: the local session is already gone, so the user is signed out here either way.
 */
export async function buildEndSessionUrl(
  deps: Pick<LogoutDeps, 'registry' | 'logger'>,
  session: { providerId: string | null; idToken: string | null },
  state?: string,
): Promise<string | undefined> {
  if (!session.providerId) return undefined;
  try {
    const provider = await deps.registry.resolve(session.providerId);
    if (!provider.metadata.end_session_endpoint) return undefined;
    const params: Record<string, string> = {};
    if (session.idToken) params['id_token_hint'] = session.idToken;
    if (provider.settings.postLogoutRedirectUri) params['post_logout_redirect_uri'] = provider.settings.postLogoutRedirectUri;
    // Opaque to the provider and not checked on return: the page it leads to only says "you are signed out".
    params['state'] = state ?? randomSecret(16);
    return oidc.buildEndSessionUrl(provider.configuration, params).href;
  } catch (err) {
    deps.logger.warn({ provider: session.providerId, err: err instanceof GatehouseError ? err.code : String(err) }, 'provider logout URL unavailable');
    return undefined;
  }
}

/**
 * The provider a back-channel logout token claims to come from: the one named in the request (needed when several
 * providers share an issuer), else the one whose issuer is the token's unverified `iss`. Only picks whose keys then
 * verify the token; nothing in it is trusted before that.
 */
export function pickLogoutProvider(registry: ProviderRegistry, requested: string | undefined, logoutToken: string): string {
  if (requested) return requested;
  let iss: string | undefined;
  try {
    iss = decodeJwt(logoutToken).iss;
  } catch {
    iss = undefined;
  }
  const provider = iss ? registry.forIssuer(iss) : undefined;
  if (!provider) throw new GatehouseError('SSO_LOGOUT_TOKEN_INVALID', undefined, { internal: { check: 'issuer', reason: 'no provider for this logout token' } });
  return provider.id;
}

/**
 * Verifies a back-channel logout token from the provider `providerId`, including the jti replay check (the jti is
 * remembered in the database until the token could no longer be accepted, so the store stays bounded).
 */
export async function verifyLogoutToken(deps: LogoutDeps, providerId: string, logoutToken: string): Promise<LogoutRequest> {
  const maxAgeSeconds = deps.logoutTokenMaxAgeSeconds ?? 600;
  const provider = await deps.registry.resolve(providerId);
  const now = deps.clock.now();
  const request = await checkLogoutToken(logoutToken, (h) => provider.keys.getKey(h), {
    issuer: provider.settings.authority, clientId: provider.settings.clientId, algorithms: provider.settings.algorithms,
    clockSkewSeconds: provider.clockSkewSeconds, now, maxAgeSeconds,
  });
  const keepUntil = (request.iat + maxAgeSeconds + 2 * provider.clockSkewSeconds) * 1000;
  if (!(await deps.replay.remember(request.issuer, request.jti, keepUntil, now))) {
    throw new GatehouseError('SSO_LOGOUT_TOKEN_INVALID', undefined, { internal: { check: 'jti', reason: 'jti replayed', provider: providerId } });
  }
  return request;
}
