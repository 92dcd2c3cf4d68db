import { Type } from 'typebox';
import type { App } from '../app-types.js';
import type { AppDeps } from '../deps.js';
import { Paging, PagingOut, Strict } from '../schemas.js';
import { INPUT_LIMITS as LIMIT } from '../../shared/index.js';

/** GET /api/v1/audit: the security record, newest first, for holders of audit:view. */
export function registerAuditRoutes(app: App, deps: AppDeps): void {
  app.get(
    '/api/v1/audit',
    {
      config: { permission: 'audit:view' },
      schema: {
        tags: ['audit'],
        querystring: Strict({
          ...Paging,
          type: Type.Optional(Type.String({ maxLength: LIMIT.auditType })),
          outcome: Type.Optional(Type.Union([Type.Literal('success'), Type.Literal('failure')])),
          actor: Type.Optional(Type.String({ maxLength: LIMIT.auditActor })),
          target: Type.Optional(Type.String({ maxLength: 256 })),
          from: Type.Optional(Type.String({ format: 'date-time' })),
          to: Type.Optional(Type.String({ format: 'date-time' })),
        }),
        response: { 200: Type.Object({ data: Type.Array(Type.Object({}, { additionalProperties: true })), paging: PagingOut }) },
      },
    },
    async (request) => {
      const { limit = 50, offset = 0, from, to, ...filters } = request.query;
      const { data, total } = await deps.audit.list({
        ...filters,
        from: from ? Date.parse(from) : undefined,
        to: to ? Date.parse(to) : undefined,
        limit,
        offset,
      });
      return { data, paging: { total, offset, limit } };
    },
  );
}
