import type { FastifyRequest } from 'fastify';
import type { AuditContext } from '../audit/index.js';

/** Who is acting and from where, for the audit log. */
export function auditContext(request: FastifyRequest): AuditContext {
  const ua = request.headers['user-agent'];
  return {
    actorId: request.principal?.userId ?? null,
    actorName: request.principal?.name ?? null,
    ip: request.ip,
    userAgent: typeof ua === 'string' ? ua : null,
  };
}
