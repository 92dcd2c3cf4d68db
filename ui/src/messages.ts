/** Words a person understands for each error code the server can send (see docs/errors.md). */
const MESSAGES: Record<string, string> = {
  AUTH_INVALID_CREDENTIALS: 'The user name or password is wrong, or the account is locked for a few minutes after repeated failures.',
  AUTH_BASIC_DISABLED: 'Password sign-in is turned off here. Use single sign-on.',
  AUTH_REQUIRED: 'Please sign in.',
  SESSION_EXPIRED: 'Your session has ended. Please sign in again.',
  SSO_PROVIDER_ERROR: 'The sign-in provider refused the sign-in (for example, access was denied). Try again or ask your administrator.',
  SSO_PROVIDER_UNAVAILABLE: 'The sign-in provider cannot be reached right now. Try again in a moment.',
  SSO_SIGNUP_DISABLED: 'You do not have an account here yet, and self-signup is off. Ask an administrator to add you.',
  SSO_DOMAIN_NOT_ALLOWED: 'Accounts from your e-mail domain are not allowed here.',
  SSO_USER_CONFLICT: 'Another account already uses your user name. Ask an administrator to link your account.',
  SSO_TRANSACTION_MISSING: 'The sign-in took too long or was already used. Please start again.',
  SSO_STATE_MISMATCH: 'The sign-in could not be verified. Please start again.',
  SSO_PROVIDER_UNKNOWN: 'That sign-in provider is not configured here.',
  SSO_REFRESH_REFUSED: 'Your sign-in provider ended your session. Please sign in again.',
  USER_DISABLED: 'Your account is disabled. Ask an administrator.',
  AUTH_PASSWORD_WEAK: 'That password is not accepted.',
  AUTH_PASSWORD_MISMATCH: 'The current password is wrong or the new passwords differ.',
  AUTH_CSRF: 'The request was blocked because it did not come from this page. Reload and try again.',
  FORBIDDEN: 'You are not allowed to do this.',
};

export function messageFor(code: string, fallback?: string): string {
  if (MESSAGES[code]) return MESSAGES[code];
  if (code.startsWith('SSO_')) return 'Sign-in failed: the answer from the sign-in provider could not be verified. Please try again or ask your administrator.';
  return fallback ?? 'Something went wrong. Please try again.';
}
