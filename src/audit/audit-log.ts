import { newId } from '../crypto/index.js';
import type { AuditQuery, AuditRow, AuditStore } from '../storage/index.js';
import type { Clock, Logger } from '../shared/index.js';

/** Who did it and from where; built by the HTTP layer from the request and its principal. */
export interface AuditContext {
  readonly actorId: string | null;
  readonly actorName: string | null;
  readonly ip: string | null;
  readonly userAgent: string | null;
}

export const SYSTEM_CONTEXT: AuditContext = { actorId: null, actorName: 'system', ip: null, userAgent: null };

export interface AuditEventInput {
  /** Dotted type, e.g. auth.login, auth.lockout, user.update, token.revoke, session.end. */
  readonly type: string;
  readonly outcome: 'success' | 'failure';
  readonly target?: { type: string; id?: string | null; name?: string | null };
  /** Event details; never secrets. */
  readonly details?: Record<string, unknown>;
}

export interface AuditEvent {
  id: string;
  at: string;
  type: string;
  outcome: string;
  actorId: string | null;
  actorName: string | null;
  targetType: string | null;
  targetId: string | null;
  targetName: string | null;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown> | null;
}

export interface AuditLog {
  record(context: AuditContext, event: AuditEventInput): Promise<void>;
  list(query: AuditQuery): Promise<{ data: AuditEvent[]; total: number }>;
}

/**
 * Append-only security record. A failed write is logged and does not fail the user's action
 * (losing sign-in because the audit table is briefly locked would be worse); the log line keeps the event.
 */
export function createAuditLog(deps: { store: AuditStore; clock: Clock; logger: Logger; observe?: (event: AuditEventInput) => void }): AuditLog {
  return {
    async record(context, event) {
      deps.observe?.(event);
      const row: AuditRow = {
        id: newId(),
        at: deps.clock.now(),
        type: event.type,
        outcome: event.outcome,
        actor_id: context.actorId,
        actor_name: context.actorName,
        target_type: event.target?.type ?? null,
        target_id: event.target?.id ?? null,
        target_name: event.target?.name ?? null,
        ip: context.ip,
        user_agent: context.userAgent?.slice(0, 512) ?? null,
        details: event.details ? JSON.stringify(event.details) : null,
      };
      try {
        await deps.store.append(row);
      } catch (error) {
        deps.logger.error({ err: error, audit: row }, 'audit write failed');
      }
    },
    async list(query) {
      const { rows, total } = await deps.store.list(query);
      return { data: rows.map(toEvent), total };
    },
  };
}

function toEvent(row: AuditRow): AuditEvent {
  return {
    id: row.id,
    at: new Date(row.at).toISOString(),
    type: row.type,
    outcome: row.outcome,
    actorId: row.actor_id,
    actorName: row.actor_name,
    targetType: row.target_type,
    targetId: row.target_id,
    targetName: row.target_name,
    ip: row.ip,
    userAgent: row.user_agent,
    details: row.details ? (JSON.parse(row.details) as Record<string, unknown>) : null,
  };
}
