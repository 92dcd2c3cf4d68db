import * as oidc from 'openid-client';
import { isGatehouseError, type ErrorCode } from '../errors/index.js';
import type { Clock, Logger } from '../shared/index.js';
import type { Session, SessionService } from '../sessions/index.js';
import { normaliseGroups } from './groups.js';
import { verifyIdToken } from './id-token.js';
import { classifyLibraryError, refreshRefusal } from './library-errors.js';
import type { ProviderRegistry } from './provider-registry.js';
import { fetchVerifiedUserInfo, mergeClaims } from './userinfo.js';

/** What the provider says about the user now (same shape as a sign-in identity, for the provisioner's resync). */
export interface RefreshedIdentity {
  readonly providerId: string;
  readonly issuer: string;
  readonly subject: string;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly groups: readonly string[];
}

export type RefreshOutcome =
  | { readonly outcome: 'skipped'; readonly reason: 'not-sso' | 'no-refresh-token' }
  /** identity is null when the provider returned neither userinfo nor an ID token (nothing to re-sync). */
  | { readonly outcome: 'refreshed'; readonly identity: RefreshedIdentity | null }
  /** The provider refused (user removed, unassigned, signed out) or answered inconsistently: the session was ended. */
  | { readonly outcome: 'ended'; readonly reason: string };

// Answers that mean "this user's grant is over" or "the provider's answer cannot be trusted": the session ends.
const ENDING_CODES = new Set<ErrorCode>(['SSO_ID_TOKEN_INVALID', 'SSO_NONCE_MISMATCH', 'SSO_USERINFO_SUB_MISMATCH']);

/**
 * Re-checks an SSO session with the provider using its refresh token. The new refresh token is stored every time
 * (OneLogin rotates them and the old one stops working). A refusal (any 4xx answer such as invalid_grant or
 * invalid_client, or an answer that is not JSON) ends the session, so a user removed at the provider loses access here
 * too. A provider that is down or busy (no answer, 5xx, 429) throws SSO_PROVIDER_UNAVAILABLE and the session is kept:
 * an outage must not sign everybody out.
 */
export async function refreshWithProvider(
  deps: { registry: ProviderRegistry; sessions: SessionService; clock: Clock; logger: Logger },
  session: Session,
): Promise<RefreshOutcome> {
  const { registry, sessions, clock, logger } = deps;
  if (!session.providerId || !session.providerIssuer || !session.providerSubject) return { outcome: 'skipped', reason: 'not-sso' };
  const tokens = await sessions.providerTokens(session.id);
  if (!tokens) return { outcome: 'ended', reason: 'session gone' };
  if (!tokens.refreshToken) return { outcome: 'skipped', reason: 'no-refresh-token' };
  const end = async (reason: string): Promise<RefreshOutcome> => {
    await sessions.revokeSession(session.id);
    logger.info({ provider: session.providerId, session: session.id, reason }, 'session ended by the provider');
    return { outcome: 'ended', reason };
  };
  const settings = registry.settings(session.providerId);
  if (settings.authority !== session.providerIssuer) return end('provider issuer changed');
  const provider = await registry.resolve(settings.id);
  const subject = session.providerSubject;

  try {
    let response: oidc.TokenEndpointResponse;
    try {
      response = await oidc.refreshTokenGrant(provider.configuration, tokens.refreshToken);
    } catch (err) {
      const refusal = refreshRefusal(err);
      if (refusal !== undefined) return await end(refusal);
      throw classifyLibraryError(err, 'refresh', settings.id);
    }
    let idClaims: Record<string, unknown> | undefined;
    if (typeof response.id_token === 'string') {
      // A refreshed ID token carries no nonce (none was sent); its subject must not change.
      idClaims = await verifyIdToken(response.id_token, (h) => provider.keys.getKey(h), {
        issuer: settings.authority, clientId: settings.clientId, algorithms: settings.algorithms, nonce: null,
        clockSkewSeconds: provider.clockSkewSeconds, now: clock.now(), expectedSubject: subject,
      });
    }
    const userinfo = await fetchVerifiedUserInfo(provider, response.access_token, subject);
    await sessions.recordProviderRefresh(session.id, {
      refreshToken: typeof response.refresh_token === 'string' ? response.refresh_token : tokens.refreshToken,
      ...(typeof response.id_token === 'string' ? { idToken: response.id_token } : {}),
    });
    if (!idClaims && !userinfo) return { outcome: 'refreshed', identity: null };
    const claims = mergeClaims(idClaims ?? { sub: subject }, userinfo);
    return {
      outcome: 'refreshed',
      identity: { providerId: settings.id, issuer: settings.authority, subject, claims, groups: normaliseGroups(claims[settings.groupsClaim]) },
    };
  } catch (err) {
    if (isGatehouseError(err) && ENDING_CODES.has(err.code)) return end(err.code);
    throw err;
  }
}
