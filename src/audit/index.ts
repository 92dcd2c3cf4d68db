export { createAuditLog, SYSTEM_CONTEXT } from './audit-log.js';
export type { AuditContext, AuditEvent, AuditEventInput, AuditLog } from './audit-log.js';
export { recordSignIn } from './sign-in-record.js';
