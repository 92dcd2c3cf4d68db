import { defineErrors } from '../entry.js';

/** Single sign-on (OIDC relying party) and sessions. */
export const ssoErrors = defineErrors({
  SSO_PROVIDER_UNKNOWN: {
    status: 400,
    message: 'No sign-in provider with that name is configured.',
    fix: 'Use one of the providers listed at /api/v1/system/config/auth.',
  },
  SSO_PROVIDER_UNAVAILABLE: {
    status: 503,
    message: 'The sign-in provider cannot be reached right now. Please try again in a few minutes.',
    fix: 'Check that the provider (e.g. https://<subdomain>.onelogin.com/oidc/2) is reachable from the server; the log names the failing address. Other sign-in methods and API tokens keep working.',
  },
  SSO_PROVIDER_MISCONFIGURED: {
    status: 502,
    message: 'The sign-in provider is not set up the way this server expects. Please tell your administrator.',
    fix: 'The provider\'s discovery document must name exactly the configured issuer (AUTHENTICATION_AUTHORITY) and use https; the log shows the expected and received values.',
  },
  SSO_TRANSACTION_MISSING: {
    status: 400,
    message: 'This sign-in attempt has expired or was already used. Please start signing in again.',
    fix: 'Start again from the sign-in page; an attempt is valid once, for 10 minutes, in the browser that started it (cookies must be enabled).',
  },
  SSO_STATE_MISMATCH: {
    status: 400,
    message: 'The answer from the sign-in provider does not belong to this sign-in attempt. Please start signing in again.',
    fix: 'Start again from the sign-in page. If it repeats, another tab or an old link may have interfered; close other sign-in tabs.',
  },
  SSO_ISSUER_MISMATCH: {
    status: 400,
    message: 'The answer came from a different sign-in provider than the one you chose. Please start signing in again.',
    fix: 'The callback carried an iss parameter that is not the configured issuer; check that each provider has its own redirect URI settings.',
  },
  SSO_PROVIDER_ERROR: {
    status: 401,
    message: 'The sign-in provider did not sign you in: access was denied or cancelled (for example, you are not assigned to this app). Try again, or ask your administrator for access.',
    fix: 'The detail and the log have the provider\'s reason (e.g. access_denied: the user is not assigned to the app on the provider\'s Users tab).',
  },
  SSO_CODE_EXCHANGE_FAILED: {
    status: 502,
    message: 'The sign-in provider refused to complete the sign-in for this app (its client type, secret or authentication method does not match). Please tell your administrator.',
    fix: 'The token endpoint refused the code exchange; the log has its answer (e.g. invalid_client). None (PKCE) needs AUTHENTICATION_CLIENT_TYPE=public and no secret; Basic or POST need confidential, OIDC_CLIENT_SECRET and the same OIDC_CLIENT_AUTH_METHOD; the redirect URI must match exactly. Some providers reject the URL-encoded Basic credentials RFC 6749 requires (secrets with symbols such as + / :): try OIDC_CLIENT_AUTH_METHOD=client_secret_post.',
  },
  SSO_ID_TOKEN_INVALID: {
    status: 401,
    message: 'The sign-in provider\'s ID token failed a check, so you were not signed in. Please tell your administrator.',
    fix: 'The sign-in page and the log name the check: signature or algorithm (the provider\'s keys, AUTHENTICATION_TOKEN_VALIDATION_ALGORITHM), issuer (AUTHENTICATION_AUTHORITY), audience or azp (AUTHENTICATION_CLIENT_ID), expiry, issued-at or not-before (the server clock: NTP, OIDC_MAX_CLOCK_SKEW), subject, type, auth-time (max_age).',
  },
  SSO_NONCE_MISMATCH: {
    status: 401,
    message: 'The sign-in provider\'s ID token was made for another sign-in attempt (its nonce differs). Please start signing in again.',
    fix: 'The ID token nonce is missing or differs from the one sent: several sign-in tabs, or a replayed or injected answer. Start again from one tab; if it repeats, the provider does not return the nonce it was sent.',
  },
  SSO_USERINFO_SUB_MISMATCH: {
    status: 401,
    message: 'The sign-in provider gave inconsistent answers about who you are, so you were not signed in.',
    fix: 'The userinfo subject differs from the ID token subject; report this to the provider\'s administrator.',
  },
  SSO_USERINFO_FAILED: {
    status: 502,
    message: 'Your profile could not be read from the sign-in provider. Please try again.',
    fix: 'The userinfo (/me) request failed; check the log for the provider\'s answer and that the scopes include openid.',
  },
  SSO_LOGOUT_TOKEN_INVALID: {
    status: 400,
    message: 'The logout notice is not valid.',
    fix: 'A back-channel logout token must be signed by the provider, name this client in aud, carry the backchannel-logout event, a jti used once, sid or sub, no nonce, and typ logout+jwt, JWT or none; the log names the failed check.',
  },
  SSO_REFRESH_REFUSED: {
    status: 401,
    message: 'Your sign-in has ended at the sign-in provider. Please sign in again.',
    fix: 'The provider refused the refresh grant (invalid_grant: the user was removed, unassigned or signed out there; another 4xx error such as invalid_client, or an answer that is not JSON: the log has it), so the session was ended. Signing in again starts a new session.',
  },
  SESSION_EXPIRED: {
    status: 401,
    message: 'Your session has ended. Please sign in again.',
    fix: 'Sessions end after a period without use and after a maximum lifetime (OIDC_SESSION_EXPIRY, GATEHOUSE_SESSION_IDLE_TIMEOUT).',
  },
});
