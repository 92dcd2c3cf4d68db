import { DEFAULTS } from '../config/index.js';
import { isGatehouseError } from '../errors/index.js';
import type { Clock, Logger } from '../shared/index.js';
import type { Session, SessionService, SignedIn, SignInStep } from '../sessions/index.js';
import type { EndedSession } from '../storage/index.js';
import type { LogoutTokenReplayStore, OidcTransactionStore } from '../storage/index.js';
import { buildEndSessionUrl, pickLogoutProvider, verifyLogoutToken } from './logout.js';
import type { LogoutRequest } from './logout-token.js';
import type { ProviderRegistry } from './provider-registry.js';
import { refreshWithProvider, type RefreshedIdentity, type RefreshOutcome } from './refresh.js';
import { createSignInFlow } from './sign-in.js';
import type { CompletedSignIn, CompleteSignInInput, SignInLimits } from './sign-in-types.js';

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

export interface SsoServiceDeps {
  registry: ProviderRegistry;
  transactions: OidcTransactionStore;
  logoutReplay: LogoutTokenReplayStore;
  sessions: SessionService;
  /** Signed in -> session, cookie, audit: the step shared with password sign-in. */
  signIns: SignInStep;
  clock: Clock;
  logger: Logger;
  limits?: SignInLimits;
  /** An SSO session with a provider refresh token is re-checked at the provider this often (default 900 s; 0 = only on demand). */
  providerRecheckSeconds?: number;
  logoutTokenMaxAgeSeconds?: number;
  /** Turns a verified sign-in into a user (the provisioner); throws coded errors such as SSO_SIGNUP_DISABLED. */
  provisionUser(identity: CompletedSignIn, client: ClientInfo): Promise<{ userId: string; name: string | null }>;
  /** Re-syncs roles from a refreshed identity (the provisioner's resync); throwing USER_DISABLED ends the session. */
  resyncUser?(userId: string, identity: RefreshedIdentity): Promise<void>;
  /** Told when a provider re-check ended a session (for the audit log). */
  onSessionEnded?(event: { sessionId: string; userId: string; reason: string }): Promise<void> | void;
}

export interface FinishedSignIn extends SignedIn {
  readonly returnTo: string;
  readonly userId: string;
  readonly identity: CompletedSignIn;
}

/**
 * The SSO face for the HTTP layer: each route makes one call.
 *   GET /signin?iss=         -> providerForIssuer(iss), then startSignIn
 *   GET /api/v1/auth/login   -> startSignIn            (set the transaction cookie, 302 to authorizationUrl)
 *   GET /callback            -> finishSignIn           (clear the transaction cookie, set the session cookie, 303 returnTo)
 *   every cookie request     -> resumeSession
 *   GET /api/v1/auth/refresh -> refreshSession
 *   GET|POST /api/v1/auth/logout -> logout            (clear the cookie, go to redirectTo or /signed-out)
 *   POST back-channel logout -> backchannelLogout     (picks the provider by ?provider= or the token's iss)
 */
export function createSsoService(deps: SsoServiceDeps) {
  const { registry, sessions, clock, logger } = deps;
  const flow = createSignInFlow({ registry, transactions: deps.transactions, clock, logger, ...(deps.limits ? { limits: deps.limits } : {}) });
  const recheckMs = (deps.providerRecheckSeconds ?? DEFAULTS['sessions.providerRecheckSeconds']) * 1000;
  const logoutDeps = { registry, replay: deps.logoutReplay, clock, logger, ...(deps.logoutTokenMaxAgeSeconds !== undefined ? { logoutTokenMaxAgeSeconds: deps.logoutTokenMaxAgeSeconds } : {}) };

  async function ended(session: Session, reason: string): Promise<RefreshOutcome> {
    await deps.onSessionEnded?.({ sessionId: session.id, userId: session.userId, reason });
    return { outcome: 'ended', reason };
  }

  async function refreshSession(session: Session): Promise<RefreshOutcome> {
    const outcome = await refreshWithProvider({ registry, sessions, clock, logger }, session);
    if (outcome.outcome === 'ended') return ended(session, outcome.reason);
    if (outcome.outcome === 'refreshed' && outcome.identity && deps.resyncUser) {
      try {
        await deps.resyncUser(session.userId, outcome.identity);
      } catch (err) {
        if (isGatehouseError(err) && err.code === 'USER_DISABLED') {
          await sessions.revokeSession(session.id);
          return ended(session, 'USER_DISABLED');
        }
        throw err;
      }
    }
    return outcome;
  }

  return {
    providers: () => registry.list(),
    /** IdP-initiated sign-in: the provider whose issuer is exactly `iss`, if configured. */
    providerForIssuer(iss: string | undefined): { id: string; displayName: string } | undefined {
      const p = iss ? registry.forIssuer(iss) : undefined;
      return p ? { id: p.id, displayName: p.displayName } : undefined;
    },
    startSignIn: flow.startSignIn,
    completeSignIn: flow.completeSignIn,

    /**
     * completeSignIn + provisioning + the shared "signed in" step: a brand-new session (never the one the browser
     * had: no fixation; the previous session, if any, is ended), its cookie, and the success audited.
     */
    async finishSignIn(input: CompleteSignInInput & { client: ClientInfo; previousSessionSecret?: string }): Promise<FinishedSignIn> {
      const identity = await flow.completeSignIn(input);
      const user = await deps.provisionUser(identity, input.client);
      const signedIn = await deps.signIns.signedIn({
        user: { id: user.userId, name: user.name },
        context: { actorId: null, actorName: null, ip: input.client.ip, userAgent: input.client.userAgent },
        previousSessionSecret: input.previousSessionSecret,
        provider: {
          providerId: identity.providerId, issuer: identity.issuer, subject: identity.subject,
          sid: identity.providerSessionId ?? null, idToken: identity.idToken, refreshToken: identity.refreshToken ?? null,
        },
        details: { method: 'sso', provider: identity.providerId, groups: identity.groups },
      });
      return { ...signedIn, returnTo: identity.returnTo, userId: user.userId, identity };
    },

    /**
     * The live session for a cookie value, re-checked with the provider when due (one instance wins the check; an
     * unreachable provider keeps the session). Undefined when there is no live session.
     */
    async resumeSession(secret: string): Promise<Session | undefined> {
      const session = await sessions.validateSession(secret);
      if (!session) return undefined;
      const due = recheckMs > 0 && session.hasProviderRefreshToken && clock.now() - (session.providerCheckedAt ?? 0) >= recheckMs;
      if (!due || !(await sessions.claimProviderCheck(session))) return session;
      try {
        return (await refreshSession(session)).outcome === 'ended' ? undefined : session;
      } catch (err) {
        logger.warn({ session: session.id, code: isGatehouseError(err) ? err.code : String(err) }, 'provider re-check failed; session kept');
        return session;
      }
    },
    refreshSession,

    /** Ends the session of this cookie (if any) and says where to send the browser: the provider's logout, or nowhere. */
    async logout(input: { sessionSecret: string | undefined; state?: string }): Promise<{ redirectTo: string | undefined; session: Session | undefined }> {
      const ended = input.sessionSecret ? await sessions.endSession(input.sessionSecret) : undefined;
      if (!ended) return { redirectTo: undefined, session: undefined };
      const redirectTo = await buildEndSessionUrl(logoutDeps, { providerId: ended.session.providerId, idToken: ended.idToken }, input.state);
      return { redirectTo, session: ended.session };
    },
    buildEndSessionUrl: (session: { providerId: string | null; idToken: string | null }, state?: string) => buildEndSessionUrl(logoutDeps, session, state),
    verifyLogoutToken: (providerId: string, logoutToken: string): Promise<LogoutRequest> => verifyLogoutToken(logoutDeps, providerId, logoutToken),

    /**
     * Back-channel logout: picks the provider (the one asked for, else by the token's issuer), verifies the token, then
     * ends the sessions with its sid, or all of its subject's.
     */
    async backchannelLogout(requestedProvider: string | undefined, logoutToken: string): Promise<{ providerId: string; ended: EndedSession[] }> {
      const providerId = pickLogoutProvider(registry, requestedProvider, logoutToken);
      const request = await verifyLogoutToken(logoutDeps, providerId, logoutToken);
      const ended = request.sid !== undefined
        ? await sessions.revokeByProviderSid(request.issuer, request.sid)
        : await sessions.revokeByProviderSubject(request.issuer, request.sub as string);
      logger.info({ provider: providerId, sessions: ended.length, by: request.sid !== undefined ? 'sid' : 'sub' }, 'back-channel logout');
      return { providerId, ended };
    },

    /** Deletes expired transactions, logout-token jtis and sessions; schedule it (e.g. every few minutes). */
    async sweep(): Promise<{ transactions: number; logoutTokens: number; sessions: number }> {
      return {
        transactions: await flow.sweep(),
        logoutTokens: await deps.logoutReplay.deleteExpired(clock.now()),
        sessions: await sessions.sweep(),
      };
    },
    /** Diagnostics: discovery state and known key ids of a provider. */
    checkProvider: (providerId: string) => registry.check(providerId),
  };
}

export type SsoService = ReturnType<typeof createSsoService>;
