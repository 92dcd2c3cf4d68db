import { Type } from 'typebox';
import { GatehouseError } from '../../errors/index.js';

/**
 * OpenMetadata's `fields` query parameter (comma-separated). Gatehouse always returns what it has (roles, botUser), so
 * OpenMetadata's field names are accepted and change nothing; `gatehouse` adds Gatehouse's own fields. Like
 * OpenMetadata, an unknown name is an error rather than silently ignored.
 */
export const FieldsQuery = Type.Optional(Type.String({ maxLength: 500 }));

const KNOWN = new Set([
  'gatehouse', 'profile', 'roles', 'teams', 'follows', 'owns', 'isEmailVerified', 'personas', 'defaultPersona', 'domains',
  'inheritedRoles', 'authenticationMechanism', 'lastLoginTime', 'lastActivityTime', 'policies', 'users', 'botUser',
  'personaPreferences', 'learningPaths', 'reviewers', 'votes', 'extension', 'owners', 'experts', 'dataProducts',
]);

/** True when `fields` asks for Gatehouse's own fields. */
export function wantsGatehouseFields(fields: string | undefined): boolean {
  if (!fields) return false;
  const names = fields.split(',').map((f) => f.trim()).filter(Boolean);
  const unknown = names.filter((n) => !KNOWN.has(n));
  if (unknown.length) throw new GatehouseError('REQUEST_INVALID', `Invalid field name(s) in fields: ${unknown.slice(0, 5).join(', ')}.`);
  return names.includes('gatehouse');
}

/** OpenMetadata's `include`: non-deleted (default), deleted, all. */
export const IncludeQuery = Type.Optional(Type.Union([Type.Literal('non-deleted'), Type.Literal('deleted'), Type.Literal('all')]));

/** Whether `include` lets a (soft-)deleted or live user, bot or role be seen. */
export function visible(entity: { deleted: boolean }, include: 'non-deleted' | 'deleted' | 'all' | undefined): boolean {
  const mode = include ?? 'non-deleted';
  return mode === 'all' || (mode === 'deleted') === entity.deleted;
}
