import { Type, type Static } from 'typebox';
import { GatehouseError } from '../../errors/index.js';

/** One RFC 6902 operation, as OpenMetadata's clients send them (`application/json-patch+json`). */
export const PatchOperation = Type.Object(
  {
    op: Type.Union([Type.Literal('add'), Type.Literal('remove'), Type.Literal('replace'), Type.Literal('move'), Type.Literal('copy'), Type.Literal('test')]),
    path: Type.String({ maxLength: 256 }),
    from: Type.Optional(Type.String({ maxLength: 256 })),
    value: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: false },
);
export const JsonPatch = Type.Array(PatchOperation, { maxItems: 100 });
export type JsonPatchOps = Static<typeof JsonPatch>;

type Json = unknown;
const invalid = (why: string) => new GatehouseError('REQUEST_INVALID', `JSON Patch: ${why}`);

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw invalid(`"${path}" is not a JSON Pointer.`);
  return path.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function isContainer(v: Json): v is Record<string, Json> | Json[] {
  return typeof v === 'object' && v !== null;
}

/** The parent container and the last token of `path`; refuses paths through missing members and prototype keys. */
function locate(doc: Json, path: string): { parent: Record<string, Json> | Json[]; key: string } {
  const tokens = pointer(path);
  const key = tokens.pop();
  if (key === undefined) throw invalid('the whole document cannot be replaced.');
  let node = doc;
  for (const t of [...tokens, key]) if (t === '__proto__' || t === 'constructor' || t === 'prototype') throw invalid(`"${path}" is not allowed.`);
  for (const t of tokens) {
    if (!isContainer(node) || !Object.hasOwn(node, t)) throw invalid(`"${path}" does not exist.`);
    node = (node as Record<string, Json>)[t];
  }
  if (!isContainer(node)) throw invalid(`"${path}" does not exist.`);
  return { parent: node, key };
}

function get(doc: Json, path: string): Json {
  const { parent, key } = locate(doc, path);
  if (!Object.hasOwn(parent, key)) throw invalid(`"${path}" does not exist.`);
  return (parent as Record<string, Json>)[key];
}

function add(doc: Json, path: string, value: Json): void {
  const { parent, key } = locate(doc, path);
  if (Array.isArray(parent)) {
    const index = key === '-' ? parent.length : Number(key);
    if (!/^(0|[1-9]\d*|-)$/.test(key) || index > parent.length) throw invalid(`"${path}" is out of range.`);
    parent.splice(index, 0, value);
  } else parent[key] = value;
}

function remove(doc: Json, path: string): void {
  const { parent, key } = locate(doc, path);
  if (!Object.hasOwn(parent, key)) throw invalid(`"${path}" does not exist.`);
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else delete parent[key];
}

/** Applies `ops` to a copy of `doc` (all or nothing: a failed operation or `test` changes nothing). */
export function applyJsonPatch<T>(doc: T, ops: JsonPatchOps): T {
  const copy = structuredClone(doc) as Json;
  for (const op of ops) {
    const value = (): Json => {
      if (!('value' in op)) throw invalid(`"${op.op}" needs a value.`);
      return structuredClone(op.value);
    };
    const from = (): string => {
      if (op.from === undefined) throw invalid(`"${op.op}" needs "from".`);
      return op.from;
    };
    switch (op.op) {
      case 'add': add(copy, op.path, value()); break;
      case 'remove': remove(copy, op.path); break;
      case 'replace': remove(copy, op.path); add(copy, op.path, value()); break;
      case 'copy': add(copy, op.path, structuredClone(get(copy, from()))); break;
      case 'move': {
        const moved = get(copy, from());
        remove(copy, from());
        add(copy, op.path, moved);
        break;
      }
      case 'test':
        if (JSON.stringify(get(copy, op.path)) !== JSON.stringify(value())) throw invalid(`test of "${op.path}" failed.`);
        break;
    }
  }
  return copy as T;
}
