import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { catalogue, type ErrorCode } from '../errors/index.js';
import { errorBody } from './error-reply.js';

/** The parts of the connection this needs (a fake in unit tests). */
export type ClientSocket = Pick<Socket, 'destroyed' | 'writable' | 'write' | 'destroy'>;

/** What Node's HTTP parser reports before any request exists (so before Fastify's error handler can run). */
function codeFor(error: Error & { code?: string }): ErrorCode {
  if (error.code === 'HPE_HEADER_OVERFLOW') return 'REQUEST_HEADERS_TOO_LARGE';
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 'REQUEST_TIMEOUT';
  return 'REQUEST_INVALID';
}

/**
 * Answers a request the HTTP parser refused (headers over the limit, malformed request line, timeout) in the same coded
 * JSON shape as every other error, instead of Fastify's own body. The request id is new (there is no request) and is
 * logged with the cause, so a support question can still be matched.
 */
export function answerClientError(error: Error & { code?: string }, socket: ClientSocket, log: FastifyBaseLogger | undefined): void {
  // A reset or closed connection has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const code = codeFor(error);
  const status = catalogue[code].status;
  const requestId = randomUUID();
  log?.info({ code, requestId, parserError: error.code }, 'request refused by the HTTP parser');
  if (socket.writable) {
    const body = JSON.stringify(errorBody(code, requestId));
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\ncontent-type: application/json; charset=utf-8\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\ncache-control: no-store\r\nx-content-type-options: nosniff\r\nconnection: close\r\n\r\n${body}`,
    );
  }
  // As Node itself does: the parser state is broken, so the connection cannot carry another request.
  socket.destroy(error);
}
