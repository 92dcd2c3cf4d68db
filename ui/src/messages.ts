/**
 * Plain words for the codes a person meets while signing in (docs/errors.md has them all). The sign-in page gets these
 * codes bare in /signin?error=CODE after a failed provider round trip, so the UI must word them itself.
 */
const MESSAGES: Record<string, string> = {
  AUTH_INVALID_CREDENTIALS:
    'The user name or password is wrong. After several failed attempts the account is locked for a while: wait a few minutes, then try again, or ask an administrator.',
  AUTH_BASIC_DISABLED: 'Password sign-in is turned off here. Use your organisation’s sign-in button.',
  AUTH_REQUIRED: 'Please sign in.',
  SESSION_EXPIRED: 'Your session has ended. Please sign in again.',
  USER_DISABLED: 'Your account is disabled. Ask an administrator to enable it.',
  RATE_LIMITED: 'Too many attempts in a short time. Wait a minute and try again.',
  AUTH_SIGN_IN_RATE_LIMITED: 'Too many sign-in attempts in a short time. Wait a moment and try again.',
  AUTH_SIGN_IN_BUSY: 'The server is busy signing other people in. Wait a moment and try again.',
  AUTH_PASSWORD_WEAK: 'That password is not accepted: choose a longer one that is not commonly used.',
  AUTH_PASSWORD_MISMATCH: 'The current password is wrong, or the two new passwords differ.',
  AUTH_CSRF: 'The request was blocked because it did not come from this page. Reload the page and try again.',
  FORBIDDEN: 'You are not allowed to do this.',
  NETWORK: 'Gatehouse cannot be reached. Check your connection and try again.',
};

/**
 * Single sign-on failures, word for word as in the server's error catalogue (src/errors/codes) and the troubleshooting
 * table of docs/onelogin.md, so a person, the API and the operator's guide all say the same thing;
 * tests/sso/sso-messages.test.ts holds the three together.
 */
export const SSO_MESSAGES: Record<string, string> = {
  SSO_PROVIDER_UNKNOWN: 'No sign-in provider with that name is configured.',
  SSO_PROVIDER_UNAVAILABLE: 'The sign-in provider cannot be reached right now. Please try again in a few minutes.',
  SSO_PROVIDER_MISCONFIGURED: 'The sign-in provider is not set up the way this server expects. Please tell your administrator.',
  SSO_TRANSACTION_MISSING: 'This sign-in attempt has expired or was already used. Please start signing in again.',
  SSO_STATE_MISMATCH: 'The answer from the sign-in provider does not belong to this sign-in attempt. Please start signing in again.',
  SSO_ISSUER_MISMATCH: 'The answer came from a different sign-in provider than the one you chose. Please start signing in again.',
  SSO_PROVIDER_ERROR:
    'The sign-in provider did not sign you in: access was denied or cancelled (for example, you are not assigned to this app). Try again, or ask your administrator for access.',
  SSO_CODE_EXCHANGE_FAILED:
    'The sign-in provider refused to complete the sign-in for this app (its client type, secret or authentication method does not match). Please tell your administrator.',
  SSO_ID_TOKEN_INVALID: "The sign-in provider's ID token failed a check, so you were not signed in. Please tell your administrator.",
  SSO_NONCE_MISMATCH:
    "The sign-in provider's ID token was made for another sign-in attempt (its nonce differs). Please start signing in again.",
  SSO_USERINFO_SUB_MISMATCH: 'The sign-in provider gave inconsistent answers about who you are, so you were not signed in.',
  SSO_USERINFO_FAILED: 'Your profile could not be read from the sign-in provider. Please try again.',
  SSO_REFRESH_REFUSED: 'Your sign-in has ended at the sign-in provider. Please sign in again.',
  SSO_SIGNUP_DISABLED: 'You do not have an account here yet, and self-signup is off. Ask an administrator to add you.',
  SSO_DOMAIN_NOT_ALLOWED: 'Accounts from your e-mail domain are not allowed here.',
  SSO_USER_CONFLICT: 'Another account already uses your user name. Ask an administrator to link your account.',
  SSO_NO_PRINCIPAL: 'The sign-in provider did not say who you are (no e-mail or user name). Please tell your administrator.',
};

/** The ID token checks the server may name with SSO_ID_TOKEN_INVALID (/signin?error=...&check=...). */
export const TOKEN_CHECKS = [
  'signature', 'algorithm', 'type', 'issuer', 'audience', 'azp', 'expiry', 'issued-at', 'not-before', 'subject', 'auth-time',
  'nonce', 'jti', 'events', 'sid-or-sub',
] as const;

const SSO_FALLBACK = 'Signing in with the sign-in provider failed. Please start again, or ask your administrator.';

/** The words for a sign-in failure from /signin?error=CODE, naming the failed check when the server gave one. */
export function signInFailure(code: string, check: string | null): string {
  const words = messageFor(code);
  const named = TOKEN_CHECKS.find((c) => c === check);
  return code === 'SSO_ID_TOKEN_INVALID' && named ? `${words} Failed check: ${named}.` : words;
}

/** Shown after logout, also when the provider's logout page sends the browser back. */
export const SIGNED_OUT_MESSAGE = 'You are signed out.';

/** The words for a code; the server's own message (already plain words) when the UI has none. */
export function messageFor(code: string, serverMessage?: string): string {
  const known = MESSAGES[code] ?? SSO_MESSAGES[code];
  if (known) return known;
  if (serverMessage) return serverMessage;
  if (code.startsWith('SSO_')) return SSO_FALLBACK;
  return 'Something went wrong. Please try again.';
}
