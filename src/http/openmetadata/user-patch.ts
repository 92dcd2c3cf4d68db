import type { Static } from 'typebox';
import { GatehouseError } from '../../errors/index.js';
import type { UpdateUserInput, UserView } from '../../users/index.js';
import type { UserOut } from '../api-schemas.js';
import { applyJsonPatch, type JsonPatchOps } from './json-patch.js';

/** Fields a JSON Patch may change; the service then applies today's rules (only admins change isAdmin, never on themselves). */
const EDITABLE = new Set(['email', 'displayName', 'isAdmin', 'roles']);

/**
 * Turns an OpenMetadata JSON Patch of a user into the same update the merge PATCH makes, so both go through one set of
 * rules. Changing anything else (isBot, name, id, ...) is refused, never ignored.
 */
export async function userPatchToUpdate(
  current: UserView, shaped: Static<typeof UserOut>, ops: JsonPatchOps, roleName: (idOrName: string) => Promise<string | undefined>,
): Promise<UpdateUserInput> {
  const patched = applyJsonPatch(shaped, ops) as Record<string, unknown>;
  const before = shaped as unknown as Record<string, unknown>;
  for (const key of new Set([...Object.keys(before), ...Object.keys(patched)])) {
    if (EDITABLE.has(key) || JSON.stringify(before[key]) === JSON.stringify(patched[key])) continue;
    if (key === 'isBot') throw new GatehouseError('USER_FLAG_FORBIDDEN');
    throw new GatehouseError('REQUEST_INVALID', `JSON Patch: "${key}" cannot be changed here.`);
  }
  const input: UpdateUserInput = {};
  const str = (key: string): string | null => {
    const v = patched[key];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string') throw new GatehouseError('REQUEST_INVALID', `JSON Patch: "${key}" must be a string.`);
    return v;
  };
  if (patched['email'] !== before['email']) input.email = str('email');
  if (patched['displayName'] !== before['displayName']) input.displayName = str('displayName');
  if (patched['isAdmin'] !== before['isAdmin']) {
    if (typeof patched['isAdmin'] !== 'boolean') throw new GatehouseError('REQUEST_INVALID', 'JSON Patch: "isAdmin" must be true or false.');
    input.isAdmin = patched['isAdmin'];
  }
  if (JSON.stringify(patched['roles']) !== JSON.stringify(before['roles'])) {
    const refs = patched['roles'] ?? [];
    if (!Array.isArray(refs)) throw new GatehouseError('REQUEST_INVALID', 'JSON Patch: "roles" must be a list of role references.');
    const names = new Set<string>();
    for (const ref of refs as unknown[]) {
      const key = typeof ref === 'object' && ref !== null ? ((ref as Record<string, unknown>)['id'] ?? (ref as Record<string, unknown>)['name']) : undefined;
      const name = typeof key === 'string' ? await roleName(key) : undefined;
      if (!name) throw new GatehouseError('REQUEST_INVALID', 'JSON Patch: every role must name an existing role by id or name.');
      names.add(name);
    }
    // Roles synced from a provider's groups stay theirs; the patch sets the manually granted ones.
    const synced = new Set(current.roles.filter((r) => r.source !== 'manual').map((r) => r.name));
    input.roles = [...names].filter((n) => !synced.has(n));
  }
  return input;
}
