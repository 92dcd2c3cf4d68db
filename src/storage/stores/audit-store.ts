import type { Kysely } from 'kysely';
import type { AuditEventsTable, Database } from '../schema/index.js';

export type AuditRow = AuditEventsTable;

export interface AuditQuery {
  type?: string | undefined;
  outcome?: string | undefined;
  actor?: string | undefined;
  target?: string | undefined;
  from?: number | undefined;
  to?: number | undefined;
  limit: number;
  offset: number;
}

/** Append-only: there is no update or delete. */
export interface AuditStore {
  append(row: AuditRow): Promise<void>;
  list(query: AuditQuery): Promise<{ rows: AuditRow[]; total: number }>;
}

export function createAuditStore(db: Kysely<Database>): AuditStore {
  return {
    async append(row) {
      await db.insertInto('audit_events').values(row).execute();
    },
    async list(q) {
      let query = db.selectFrom('audit_events');
      if (q.type) query = query.where('type', q.type.endsWith('.') ? 'like' : '=', q.type.endsWith('.') ? `${q.type}%` : q.type);
      if (q.outcome) query = query.where('outcome', '=', q.outcome);
      if (q.actor) query = query.where('actor_name', '=', q.actor);
      if (q.target) query = query.where('target_name', '=', q.target);
      if (q.from !== undefined) query = query.where('at', '>=', q.from);
      if (q.to !== undefined) query = query.where('at', '<', q.to);
      const [rows, count] = await Promise.all([
        query.selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(q.limit).offset(q.offset).execute(),
        query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(count.n) };
    },
  };
}
