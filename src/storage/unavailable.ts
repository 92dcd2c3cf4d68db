/**
 * Whether an error means "the database cannot be reached right now" (a restart, failover, network cut, a full
 * server), as opposed to a bug or a bad statement. Those are answered 503 with Retry-After at the edge, not 500: the
 * request did nothing (PostgreSQL rolls back a transaction whose connection is lost) and will work once it is back.
 */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** SQLSTATE: admin/crash shutdown, cannot connect now, too many connections; class 08 (connection exception) below. */
const SERVER_STATES = new Set(['57P01', '57P02', '57P03', '53300']);
/** What node-postgres throws without a code when a connection ends or cannot be made in time. */
const PG_CLIENT_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable)/;
const SQLITE_BUSY = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_TIMEOUT']);

export function isStorageUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 5 || typeof error !== 'object' || error === null) return false;
  const { code, message, cause, errors } = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || SERVER_STATES.has(code) || SQLITE_BUSY.has(code)) return true;
    if (/^08[0-9A-Z]{3}$/.test(code)) return true;
  }
  if (typeof message === 'string' && PG_CLIENT_MESSAGES.test(message)) return true;
  // Connection attempts to several addresses fail as one AggregateError.
  if (Array.isArray(errors) && errors.some((e) => isStorageUnavailable(e, depth + 1))) return true;
  return isStorageUnavailable(cause, depth + 1);
}
