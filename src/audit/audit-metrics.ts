import type { Metrics } from '../shared/index.js';
import type { AuditEventInput } from './audit-log.js';

/**
 * Sign-in and lockout counters from the audit record: every sign-in (password, browser password, SSO, each failure)
 * and every lockout is recorded there exactly once, so counting here cannot miss a path or count one twice.
 */
export function auditMetrics(metrics: Metrics): (event: AuditEventInput) => void {
  return (event) => {
    if (event.type === 'auth.login') {
      const method = event.details?.['method'];
      const provider = event.details?.['provider'];
      metrics.signIn(typeof method === 'string' ? method : 'unknown', typeof provider === 'string' ? provider : '', event.outcome);
    } else if (event.type === 'auth.lockout') {
      metrics.lockout();
    }
  };
}
