import type { ErrorCode } from '../../src/errors/catalogue.js';

/**
 * The one mapping from an API refusal to a sentence for people (docs/errors.md has every code with its fix). Every code
 * of the server's catalogue is either worded here, worded as the catalogue words it (single sign-on, below), or listed
 * in NOT_MET_BY_THE_UI; tests/ui/refusal-words.test.ts holds the three together. The sign-in page also gets these codes
 * bare in /signin?error=CODE after a failed provider round trip.
 */
const MESSAGES = {
  REQUEST_INVALID: 'Some of what was entered is not accepted. Check the fields and try again.',
  REQUEST_TOO_LARGE: 'What was entered is too long to send. Shorten it and try again.',
  REQUEST_HEADERS_TOO_LARGE: 'Your browser sends too many or too large cookies for this site. Clear this site’s cookies, then sign in again.',
  REQUEST_TIMEOUT: 'The request took too long to arrive. Check your connection and try again.',
  REQUEST_METHOD_NOT_ALLOWED: 'This page asked the server for something it does not offer. Reload the page; if it happens again, tell your administrator.',
  REQUEST_UNSUPPORTED_MEDIA_TYPE: 'This page sent something the server does not understand. Reload the page; if it happens again, tell your administrator.',
  NOT_FOUND: 'It is not there any more: someone may have changed or deleted it meanwhile. Reload the page to see the current state.',
  CONFLICT: 'That clashes with something that already exists.',
  RATE_LIMITED: 'Too many attempts in a short time. Wait a minute and try again.',
  CONFIG_INVALID: 'The server’s configuration has a problem, so this cannot be done. Please tell your administrator.',
  CONFIG_UNSAFE_FOR_PRODUCTION: 'The server’s configuration is not safe for production, so this cannot be done. Please tell your administrator.',
  STORAGE_UNAVAILABLE: 'Gatehouse cannot reach its database right now. Try again in a minute; if it persists, tell your administrator.',
  INTERNAL: 'Something went wrong on the server. Try again; if it happens again, tell your administrator.',
  AUTH_REQUIRED: 'Please sign in.',
  AUTH_INVALID_CREDENTIALS:
    'The user name or password is wrong. After several failed attempts the account is locked for a while: wait a few minutes, then try again, or ask an administrator.',
  AUTH_BASIC_DISABLED: 'Password sign-in is turned off here. Use your organisation’s sign-in button.',
  AUTH_PASSWORD_CHANGE_REQUIRED: 'Choose a new password before doing anything else.',
  AUTH_SIGN_IN_RATE_LIMITED: 'Too many sign-in attempts in a short time. Wait a moment and try again.',
  AUTH_SIGN_IN_BUSY: 'The server is busy signing other people in. Wait a moment and try again.',
  AUTH_PASSWORD_WEAK: 'That password is not accepted: choose a longer one that is not commonly used.',
  AUTH_PASSWORD_MISMATCH: 'The current password is wrong, or the two new passwords differ.',
  AUTH_AMBIGUOUS_CREDENTIALS: 'Your browser holds conflicting sign-in cookies for this site. Clear this site’s cookies and sign in again.',
  AUTH_CSRF: 'The request was blocked because it did not come from this page. Reload the page and try again.',
  FORBIDDEN: 'You are not allowed to do this.',
  USER_DISABLED: 'Your account is disabled. Ask an administrator to enable it.',
  USER_LAST_ADMIN: 'This is the last administrator. Make someone else an administrator first.',
  USER_FLAG_FORBIDDEN: 'Only another administrator can change who is an administrator, and bots are made on the Bots page.',
  TOKEN_EXPIRY_INVALID: 'Choose one of the offered expiry times.',
  TOKEN_UNLIMITED_FORBIDDEN: 'Tokens that never expire are not allowed on this server. Choose an expiry time.',
  TOKEN_BOTS_ONLY: 'Bot tokens are for bots only; people make personal access tokens on their profile page.',
  TOKEN_NO_PERSONAL_FOR_BOTS: 'Bots cannot have personal access tokens; generate the bot’s token on the Bots page.',
  KEYS_MISSING: 'No signing key is available, so no token can be made. Please tell your administrator.',
  KEYS_FILE_MANAGED: 'This server’s signing key comes from files: it is rotated by replacing the files and restarting, not here.',
  KEY_ACTIVE: 'The active signing key cannot be retired. Rotate first, then retire the old key.',
  SESSION_EXPIRED: 'Your session has ended. Please sign in again.',
  /** The UI's own: the server did not answer at all. */
  NETWORK: 'Gatehouse cannot be reached. Check your connection and try again.',
} as const satisfies Partial<Record<ErrorCode | 'NETWORK', string>>;

/**
 * Codes the UI cannot meet, each with the reason: the UI signs in with a session cookie (never a bearer or refresh
 * token), sends only JSON it builds itself, and never talks to the gateway; the rest stop the server from starting.
 */
export const NOT_MET_BY_THE_UI: Readonly<Partial<Record<ErrorCode, string>>> = {
  AUTH_REFRESH_INVALID: 'refresh tokens belong to the password API for programs',
  AUTH_TOKEN_INVALID: 'bearer tokens only', AUTH_TOKEN_EXPIRED: 'bearer tokens only', AUTH_TOKEN_NOT_YET_VALID: 'bearer tokens only',
  AUTH_TOKEN_UNKNOWN_KID: 'bearer tokens only', AUTH_TOKEN_WRONG_ISSUER: 'bearer tokens only', AUTH_TOKEN_WRONG_AUDIENCE: 'bearer tokens only',
  AUTH_TOKEN_ALGORITHM: 'bearer tokens only', AUTH_TOKEN_SIGNATURE: 'bearer tokens only', AUTH_TOKEN_CLAIMS: 'bearer tokens only',
  AUTH_TOKEN_REVOKED: 'bearer tokens only', AUTH_TOKEN_UNKNOWN_USER: 'bearer tokens only', AUTH_TOKEN_DOMAIN: 'bearer tokens only',
  SSO_LOGOUT_TOKEN_INVALID: 'sent to the provider’s server (back-channel logout)',
  GATEWAY_TARGET_REFUSED: 'the gateway’s answer to requests for the upstream', GATEWAY_RULES_INVALID: 'refuses the start',
  GATEWAY_UPSTREAM_UNAVAILABLE: 'the built-in proxy’s own page for the upstream', GATEWAY_UPSTREAM_TIMEOUT: 'the built-in proxy’s own page for the upstream',
  STORAGE_MIGRATION_FAILED: 'refuses the start', DEVIDP_PRODUCTION: 'refuses the start', KEYS_INVALID: 'refuses the start',
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

const GENERIC = 'Something went wrong. Please try again.';
const words: Readonly<Record<string, string>> = MESSAGES;

/** The words for a code; the server's own message (already plain words) for a code newer than this UI. */
export function messageFor(code: string, serverMessage?: string): string {
  const known = words[code] ?? SSO_MESSAGES[code];
  if (known) return known;
  if (serverMessage) return serverMessage;
  if (code.startsWith('SSO_')) return SSO_FALLBACK;
  return GENERIC;
}

/**
 * Fastify's schema errors read "body/username must NOT have more than 256 characters": words for programs. The inputs
 * carry the same limits (src/shared/input-limits.ts), so people should not meet them; if they do, the sentence alone.
 */
const VALIDATOR_TEXT = /^(body|querystring|params|headers)([/. ]|$)/;

/** A refusal in words: the code's sentence, and the server's detail when it is written for people. */
export function refusalText(code: string, serverMessage?: string, detail?: string): string {
  const text = messageFor(code, serverMessage);
  return detail && !VALIDATOR_TEXT.test(detail) ? `${text} (${detail})` : text;
}
