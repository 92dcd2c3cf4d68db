import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { catalogue, GatehouseError, type ErrorCode } from '../errors/index.js';
import { isStorageUnavailable } from '../storage/index.js';

/** The one error body shape: stable code, the catalogue's message, a safe detail, the request id for support. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  detail?: string;
  requestId: string;
}

export function errorBody(code: ErrorCode, requestId: string, detail?: string): ErrorBody {
  return { code, message: catalogue[code].message, ...(detail ? { detail } : {}), requestId };
}

/** How long a client should wait before retrying while the database is away (the pool's connect timeout). */
const STORAGE_RETRY_AFTER_SECONDS = 5;

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'REQUEST_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'REQUEST_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'REQUEST_INVALID',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'REQUEST_INVALID',
  FST_ERR_CTP_INVALID_JSON_BODY: 'REQUEST_INVALID',
  FST_ERR_VALIDATION: 'REQUEST_INVALID',
};

/** Maps any thrown error to a coded reply. Internals (stack, SQL, causes) go to the log only. */
export function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof GatehouseError) {
    const level = error.status >= 500 ? 'error' : 'info';
    request.log[level]({ code: error.code, internal: error.internal, err: error.status >= 500 ? error : undefined }, error.message);
    // Refusals that clear with time (rate limits, a full hashing queue) say when to come back.
    const retryAfter = error.internal?.['retryAfterSeconds'];
    if ((error.status === 429 || error.status === 503) && typeof retryAfter === 'number') {
      void reply.header('retry-after', String(retryAfter));
    }
    return reply.status(error.status).send(errorBody(error.code, request.id, error.detail));
  }
  const fastifyError = error as Partial<FastifyError> & { validation?: unknown };
  if (fastifyError.validation) {
    return reply.status(400).send(errorBody('REQUEST_INVALID', request.id, fastifyError.message?.slice(0, 300)));
  }
  const mapped = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (mapped) {
    return reply.status(catalogue[mapped].status).send(errorBody(mapped, request.id));
  }
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    // Other client errors raised by Fastify or plugins (e.g. malformed JSON, bad URL encoding).
    return reply.status(fastifyError.statusCode).send(errorBody('REQUEST_INVALID', request.id));
  }
  if (isStorageUnavailable(error)) {
    // The database is away (restart, failover, network): nothing was done, and the same request works once it is back.
    request.log.warn({ code: 'STORAGE_UNAVAILABLE', err: error }, catalogue.STORAGE_UNAVAILABLE.message);
    void reply.header('retry-after', String(STORAGE_RETRY_AFTER_SECONDS));
    return reply.status(503).send(errorBody('STORAGE_UNAVAILABLE', request.id));
  }
  request.log.error({ err: error }, 'unhandled error');
  return reply.status(500).send(errorBody('INTERNAL', request.id));
}
