/** Row types of the session and SSO tables (migration 003). Conventions: see core.ts. */
export interface SessionTables {}
