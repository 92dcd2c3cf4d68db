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
  SSO_PROVIDER_ERROR:
    'The sign-in provider did not sign you in: access was denied or cancelled (for example, you are not assigned to this app). Try again, or ask your administrator for access.',
  SSO_PROVIDER_UNAVAILABLE: 'The sign-in provider cannot be reached right now. Try again in a moment.',
  SSO_PROVIDER_MISCONFIGURED: 'Single sign-on is not set up correctly. Please tell your administrator.',
  SSO_PROVIDER_UNKNOWN: 'That sign-in provider is not configured here.',
  SSO_SIGNUP_DISABLED: 'You do not have an account here yet, and self-signup is off. Ask an administrator to add you.',
  SSO_DOMAIN_NOT_ALLOWED: 'Accounts from your e-mail domain are not allowed here.',
  SSO_USER_CONFLICT: 'Another account already uses your user name. Ask an administrator to link your account.',
  SSO_NO_PRINCIPAL: 'The sign-in provider did not say who you are (no e-mail or user name). Please tell your administrator.',
  SSO_TRANSACTION_MISSING: 'The sign-in took too long or was already used. Please start again.',
  SSO_STATE_MISMATCH: 'The sign-in could not be verified (it may have been started in another tab). Please start again.',
  SSO_REFRESH_REFUSED: 'Your sign-in provider has ended your session. Please sign in again.',
  AUTH_PASSWORD_WEAK: 'That password is not accepted: choose a longer one that is not commonly used.',
  AUTH_PASSWORD_MISMATCH: 'The current password is wrong, or the two new passwords differ.',
  AUTH_CSRF: 'The request was blocked because it did not come from this page. Reload the page and try again.',
  FORBIDDEN: 'You are not allowed to do this.',
  NETWORK: 'Gatehouse cannot be reached. Check your connection and try again.',
};

const SSO_FALLBACK =
  'Sign-in failed: the answer from the sign-in provider could not be verified. Please start again, or ask your administrator.';

/** The words for a code; the server's own message (already plain words) when the UI has none. */
export function messageFor(code: string, serverMessage?: string): string {
  const known = MESSAGES[code];
  if (known) return known;
  if (serverMessage) return serverMessage;
  if (code.startsWith('SSO_')) return SSO_FALLBACK;
  return 'Something went wrong. Please try again.';
}
