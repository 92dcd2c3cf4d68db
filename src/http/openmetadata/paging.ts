import { Type } from 'typebox';
import { GatehouseError } from '../../errors/index.js';

/** OpenMetadata's list parameters: limit 0..1000000 (default 10), before/after cursors; Gatehouse also takes offset. */
export const ListQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 10 })),
  before: Type.Optional(Type.String({ maxLength: 400 })),
  after: Type.Optional(Type.String({ maxLength: 400 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
};

/** OpenMetadata's type/paging.json (offset only on offset pages). */
export const PagingOut = Type.Object({
  before: Type.Optional(Type.String()), after: Type.Optional(Type.String()),
  offset: Type.Optional(Type.Integer()), total: Type.Integer(),
});

/** One page holds at most this many entries whatever `limit` says; the `after` cursor continues. */
export const MAX_PAGE = 1000;

/** Cursors are the base64 of the entry's name, as OpenMetadata's are. */
export const encodeCursor = (name: string) => Buffer.from(name, 'utf8').toString('base64');
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(cursor)) throw new GatehouseError('REQUEST_INVALID', 'The paging cursor is not valid.');
  return Buffer.from(cursor, 'base64').toString('utf8');
}

/**
 * The paging answer for rows fetched with one extra entry (limit + 1) in the reading direction: the extra entry only
 * tells whether another page follows (after) or precedes (before) and is dropped.
 */
export function pageOf<T extends { name: string }>(rows: T[], q: { limit: number; before?: string | undefined; after?: string | undefined; offset?: number | undefined }, total: number) {
  const { limit, before, after } = q;
  const more = rows.length > limit;
  const data = before !== undefined ? rows.slice(more ? 1 : 0) : rows.slice(0, limit);
  const first = data[0]?.name;
  const last = data.at(-1)?.name;
  const paging: { before?: string; after?: string; offset?: number; total: number } = { total };
  if (before !== undefined) {
    if (more && first !== undefined) paging.before = encodeCursor(first);
    if (last !== undefined) paging.after = encodeCursor(last);
  } else {
    if ((after !== undefined || (q.offset ?? 0) > 0) && first !== undefined) paging.before = encodeCursor(first);
    if (more && last !== undefined) paging.after = encodeCursor(last);
    if (q.offset !== undefined && after === undefined) paging.offset = q.offset;
  }
  return { data, paging };
}

/**
 * One page of a short list held whole in memory (bots, roles): ordered by name as the users' pages are, so the same
 * `before`/`after` cursors (the base64 of a name) page through it.
 */
export function pageInMemory<T extends { name: string }>(all: readonly T[], q: { limit?: number | undefined; before?: string | undefined; after?: string | undefined }) {
  const limit = Math.min(q.limit ?? 10, MAX_PAGE);
  const before = decodeCursor(q.before);
  const after = decodeCursor(q.after);
  const sorted = [...all].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // limit + 1 in the reading direction: the extra entry only says whether another page follows (or precedes).
  const rows = before !== undefined
    ? sorted.filter((x) => x.name < before).slice(-(limit + 1))
    : sorted.filter((x) => after === undefined || x.name > after).slice(0, limit + 1);
  return pageOf(rows, { limit, before: q.before, after: q.after }, all.length);
}
