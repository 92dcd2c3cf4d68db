export { createAuditLog, SYSTEM_CONTEXT } from './audit-log.js';
export { auditMetrics } from './audit-metrics.js';
export type { AuditContext, AuditEvent, AuditEventInput, AuditLog } from './audit-log.js';
export { recordSignIn } from './sign-in-record.js';
