/** Row types of the key and token tables (migration 002). Conventions: see core.ts. */
export interface TokenTables {}
