import { defineErrors } from '../entry.js';

/** Request, configuration, storage and generic errors. */
export const coreErrors = defineErrors({
  REQUEST_INVALID: {
    status: 400,
    message: 'The request is not valid.',
    fix: 'Send a body and parameters that match the API description at /api/v1/docs; the detail names the field.',
  },
  REQUEST_TOO_LARGE: {
    status: 413,
    message: 'The request body is too large.',
    fix: 'Request bodies are limited (default 1 MiB); send less data.',
  },
  REQUEST_HEADERS_TOO_LARGE: {
    status: 431,
    message: 'The request headers are too large.',
    fix: 'Send fewer or smaller headers (often: too many or too large cookies for this host; clear them). The limit is Node.js\'s --max-http-header-size (default 16 KiB).',
  },
  REQUEST_TIMEOUT: {
    status: 408,
    message: 'The request was not received in time.',
    fix: 'Send the whole request promptly; a slow network or a stalled proxy can cause this. Retry.',
  },
  REQUEST_METHOD_NOT_ALLOWED: {
    status: 405,
    message: 'This address does not accept this method.',
    fix: 'Use one of the methods in the Allow header; the API description is at /api/v1/docs.',
  },
  REQUEST_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    message: 'The request body has an unsupported content type.',
    fix: 'Send JSON with Content-Type: application/json.',
  },
  NOT_FOUND: {
    status: 404,
    message: 'Nothing was found at this address.',
    fix: 'Check the path and the id or name; the API description is at /api/v1/docs.',
  },
  CONFLICT: {
    status: 409,
    message: 'The change conflicts with existing data.',
    fix: 'Choose another name or e-mail, or update the existing entry instead.',
  },
  RATE_LIMITED: {
    status: 429,
    message: 'Too many requests.',
    fix: 'Wait a little and try again.',
  },
  CONFIG_INVALID: {
    status: 500,
    message: 'The configuration is not valid.',
    fix: 'Run `gatehouse config check`; every problem is listed with the setting to change.',
  },
  CONFIG_UNSAFE_FOR_PRODUCTION: {
    status: 500,
    message: 'The configuration is not safe for production.',
    fix: 'Fix each listed item (keys, bootstrap admin, https), or run with GATEHOUSE_ENV=development for local use.',
  },
  STORAGE_UNAVAILABLE: {
    status: 503,
    message: 'The database is not reachable.',
    fix: 'Check DATABASE_URL and that the database server is running; /readyz reports the state. During an outage requests carry Retry-After: the same request works once the database is back.',
  },
  STORAGE_MIGRATION_FAILED: {
    status: 500,
    message: 'Database migrations failed.',
    fix: 'The message names the failing migration and the database\'s error (or, when none could run, the cause); fix the database, then run `gatehouse migrate`.',
  },
  DEVIDP_PRODUCTION: {
    status: 500,
    message: 'The development IdP refuses to run in production mode.',
    fix: 'Use your real OneLogin (or other OIDC provider) in production; the dev IdP holds demo users and throwaway keys.',
  },
  INTERNAL: {
    status: 500,
    message: 'Something went wrong on the server.',
    fix: 'The server log has the details under the request id; report it if it repeats.',
  },
});
