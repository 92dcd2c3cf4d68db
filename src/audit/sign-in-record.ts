import type { AuditContext, AuditLog } from './audit-log.js';

/**
 * The one shape of a successful sign-in in the audit log (browser session or API tokens): the user is both the actor
 * and the target, so "who signed in" and "who did it" read the same.
 */
export function recordSignIn(
  audit: AuditLog,
  context: AuditContext,
  user: { readonly id: string; readonly name: string | null },
  details: Record<string, unknown>,
): Promise<void> {
  return audit.record({ ...context, actorId: user.id, actorName: user.name }, {
    type: 'auth.login', outcome: 'success', target: { type: 'user', id: user.id, name: user.name }, details,
  });
}
