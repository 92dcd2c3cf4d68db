import type { Migration, MigrationProvider } from 'kysely';
import * as m001 from './001-core.js';
import * as m002 from './002-keys-tokens.js';
import * as m003 from './003-sessions-sso.js';
import * as m004 from './004-ended-sign-ins.js';
import * as m005 from './005-expiry-indexes.js';
import * as m006 from './006-entity-versions.js';
import * as m007 from './007-soft-deleted-roles-bots.js';

/**
 * Migrations are compiled in (no directory scanning), so the built CLI and tests run the same list.
 * Names sort in order; never rename or edit a released migration, add a new one.
 */
const migrations: Record<string, Migration> = {
  '001-core': m001,
  '002-keys-tokens': m002,
  '003-sessions-sso': m003,
  '004-ended-sign-ins': m004,
  '005-expiry-indexes': m005,
  '006-entity-versions': m006,
  '007-soft-deleted-roles-bots': m007,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
