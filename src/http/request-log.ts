import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import { redactQueryValues } from '../config/index.js';

/**
 * How a request appears in the log ("incoming request", "request completed", every request.log line). Fastify's default
 * logs the whole URL, which put every `/callback?code=…&state=…` in the log; the query keeps its names, never its values.
 * Headers are not logged at all (Authorization and Cookie carry credentials).
 */
function serializeRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactQueryValues(request.url),
    host: request.host,
    remoteAddress: request.ip,
  };
}

/** The shared logger with Gatehouse's request serializer; Fastify keeps a serializer the instance already has. */
export function withRequestSerializer(logger: FastifyBaseLogger): FastifyBaseLogger {
  return logger.child({}, { serializers: { req: serializeRequest } });
}
