import { recordSignIn, type AuditContext, type AuditLog } from '../audit/index.js';
import { sessionCookie, type NamedCookie } from './cookies.js';
import type { SessionService } from './session-service.js';
import type { CreatedSession, SessionProviderLink } from './session-types.js';

export interface SignedInInput {
  /** The user whose identity was just proven (password checked, or SSO callback verified and provisioned). */
  readonly user: { readonly id: string; readonly name: string | null };
  /** Where the sign-in came from; the actor is set to the user, ip and user agent go on the session too. */
  readonly context: AuditContext;
  /** The session cookie the browser still had, if any: it ends, the new session never reuses it. */
  readonly previousSessionSecret: string | undefined;
  /** Set for single sign-on: the provider's session and tokens (logout, back-channel logout, re-checks). */
  readonly provider?: SessionProviderLink;
  /** Recorded with the auth.login event, e.g. { method: 'password' } or { method: 'sso', provider, groups }. */
  readonly details: Record<string, unknown>;
}

/** What the HTTP layer needs to finish the response: the new session, and the cookie to set to its secret. */
export interface SignedIn extends CreatedSession {
  readonly cookie: NamedCookie;
}

export interface SignInStepDeps {
  sessions: SessionService;
  audit: AuditLog;
  publicUrl: string;
}

/**
 * "Signed in -> session, cookie, audit", the one step shared by password and SSO sign-in: the previous session ends,
 * a brand-new one starts (never the one the browser had: no session fixation), and the success is audited once.
 * Failures are recorded by whoever refused the sign-in (wrong password, failed callback), never here.
 */
export function createSignInStep(deps: SignInStepDeps) {
  return {
    async signedIn(input: SignedInInput): Promise<SignedIn> {
      const { user, context } = input;
      if (input.previousSessionSecret) await deps.sessions.endSession(input.previousSessionSecret);
      const created = await deps.sessions.createSession({
        userId: user.id, userAgent: context.userAgent, ip: context.ip, ...(input.provider ? { provider: input.provider } : {}),
      });
      await recordSignIn(deps.audit, context, user, input.details);
      return { ...created, cookie: sessionCookie(deps.publicUrl, created.maxAgeSeconds) };
    },
  };
}

export type SignInStep = ReturnType<typeof createSignInStep>;
