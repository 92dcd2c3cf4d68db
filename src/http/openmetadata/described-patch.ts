import { GatehouseError } from '../../errors/index.js';
import { applyJsonPatch, type JsonPatchOps } from './json-patch.js';

/**
 * A JSON Patch of a bot or role where only `displayName` and `description` may change (what Gatehouse lets one edit
 * on them through this path); a change to anything else is refused, never ignored.
 */
export function describedPatch(shaped: object, ops: JsonPatchOps): { displayName?: string; description?: string } {
  const before = shaped as Record<string, unknown>;
  const after = applyJsonPatch(before, ops);
  const out: { displayName?: string; description?: string } = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
    if (key !== 'displayName' && key !== 'description') throw new GatehouseError('REQUEST_INVALID', `JSON Patch: "${key}" cannot be changed here.`);
    const value = after[key] ?? '';
    if (typeof value !== 'string') throw new GatehouseError('REQUEST_INVALID', `JSON Patch: "${key}" must be a string.`);
    out[key] = value;
  }
  return out;
}
