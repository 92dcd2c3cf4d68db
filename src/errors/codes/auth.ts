import { defineErrors } from '../entry.js';

/** Authentication (basic sign-in, passwords) and authorization. */
export const authErrors = defineErrors({
  AUTH_REQUIRED: {
    status: 401,
    message: 'Authentication is required.',
    fix: 'Sign in, or send `Authorization: Bearer <token>`.',
  },
  AUTH_INVALID_CREDENTIALS: {
    status: 401,
    message: 'The user name or password is wrong, or the account is temporarily locked.',
    fix: 'Check the credentials. After repeated failures the account is locked for a while (accessBlockTime); wait and retry, or ask an administrator.',
  },
  AUTH_SIGN_IN_RATE_LIMITED: {
    status: 429,
    message: 'Too many sign-in attempts; wait before trying again.',
    fix: 'Wait the seconds the Retry-After header gives. Password sign-ins are limited per client address and per account (login.rateLimitPerIpPerMinute, login.rateLimitPerAccountPerMinute), and only maxLoginFailAttempts checks of one account run at a time; sign in once and reuse the token instead of signing in for every call.',
  },
  AUTH_SIGN_IN_BUSY: {
    status: 503,
    message: 'The server is busy checking other passwords; try again shortly.',
    fix: 'Retry after the seconds the Retry-After header gives. Operators: password checks run at most login.passwordHashConcurrency at a time with login.passwordHashQueue waiting; raise them on a bigger machine, or find who signs in so often.',
  },
  AUTH_BASIC_DISABLED: {
    status: 403,
    message: 'Password sign-in is not enabled on this server.',
    fix: 'Sign in with the configured single sign-on provider, or enable basic sign-in in the configuration.',
  },
  AUTH_PASSWORD_CHANGE_REQUIRED: {
    status: 403,
    message: 'The password must be changed before anything else.',
    fix: 'Call PUT /api/v1/users/changePassword with the current (initial) password and a new one.',
  },
  AUTH_PASSWORD_WEAK: {
    status: 400,
    message: 'The new password is not acceptable.',
    fix: 'Use a longer password that is not a commonly used one; the detail says which rule failed.',
  },
  AUTH_PASSWORD_MISMATCH: {
    status: 400,
    message: 'The current password is wrong or the new passwords do not match.',
    fix: 'Enter the current password and the same new password twice.',
  },
  AUTH_REFRESH_INVALID: {
    status: 401,
    message: 'The refresh token is not valid.',
    fix: 'Sign in again. A refresh token works once; reusing an old one ends the whole sign-in for safety.',
  },
  AUTH_AMBIGUOUS_CREDENTIALS: {
    status: 400,
    message: 'The request carries conflicting credentials.',
    fix: 'Send one Authorization header and at most one session cookie; a bearer token sent with a session cookie must belong to the same user. Clear the site\'s cookies if the browser holds stale ones.',
  },
  AUTH_CSRF: {
    status: 403,
    message: 'The request did not prove it came from this site.',
    fix: 'Browser requests that change data must be same-origin and send the X-Requested-With: gatehouse header.',
  },
  FORBIDDEN: {
    status: 403,
    message: 'You are not allowed to do this.',
    fix: 'Ask an administrator for a role that grants the permission named in the detail.',
  },
  USER_DISABLED: {
    status: 403,
    message: 'This account is disabled.',
    fix: 'Ask an administrator to enable the account.',
  },
  USER_LAST_ADMIN: {
    status: 409,
    message: 'The last administrator cannot be removed.',
    fix: 'Make another user an administrator first.',
  },
  USER_FLAG_FORBIDDEN: {
    status: 403,
    message: 'Administrator and bot flags cannot be set this way.',
    fix: 'Only another administrator can grant admin; bot users are created through /api/v1/bots.',
  },
  SSO_SIGNUP_DISABLED: {
    status: 403,
    message: 'You do not have an account here yet, and self-signup is off. Ask an administrator to add you.',
    fix: 'Ask an administrator to create your user (with your e-mail) first, or enable AUTHENTICATION_ENABLE_SELF_SIGNUP.',
  },
  SSO_DOMAIN_NOT_ALLOWED: {
    status: 403,
    message: 'Accounts from your e-mail domain are not allowed here.',
    fix: 'Sign in with an account of an allowed domain; operators set AUTHORIZER_PRINCIPAL_DOMAIN / AUTHORIZER_ALLOWED_DOMAINS.',
  },
  SSO_USER_CONFLICT: {
    status: 409,
    message: 'Another account already uses your user name. Ask an administrator to link your account.',
    fix: 'Ask an administrator to link or rename the existing user; Gatehouse never merges accounts by name or unverified e-mail.',
  },
  SSO_NO_PRINCIPAL: {
    status: 403,
    message: 'The sign-in provider did not say who you are (no e-mail or user name). Please tell your administrator.',
    fix: 'The provider must send one of the claims in AUTHENTICATION_JWT_PRINCIPAL_CLAIMS (e.g. email); check the app\'s claim settings.',
  },
});
