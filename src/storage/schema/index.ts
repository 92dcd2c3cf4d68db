import type { CoreTables } from './core.js';
import type { TokenTables } from './tokens.js';
import type { SessionTables } from './sessions.js';

/** The whole database as Kysely sees it; each area adds its tables in its own file. */
export interface Database extends CoreTables, TokenTables, SessionTables {}

export type * from './core.js';
export type * from './tokens.js';
export type * from './sessions.js';
