import { useCallback } from 'react';
import { authApi } from '../../api';
import { Alert, browserName, ConfirmButton, TableHead, usePageData, when } from '../../components';

/** Where I am signed in; end one session or all but this one. */
export function SessionsCard() {
  const load = useCallback(async () => (await authApi.sessions()).data, []);
  const { data: sessions, notice, run } = usePageData(load);
  const others = (sessions ?? []).filter((s) => !s.current).length;
  return (
    <section className="card" aria-labelledby="sessions-title">
      <div className="card-header">
        <h2 id="sessions-title">Active sessions</h2>
        {others > 0 && (
          <ConfirmButton label="End all other sessions" question="End all other sessions?"
            consequence={`You stay signed in here; ${others === 1 ? 'one other browser is' : `${others} other browsers are`} signed out.`}
            onConfirm={() => run(() => authApi.endOtherSessions(), 'Other sessions ended.')} />
        )}
      </div>
      {notice && <Alert kind={notice.kind}>{notice.text}</Alert>}
      <div className="table-wrap">
        <table>
          <TableHead columns={['Browser', 'Address', 'Signed in', 'Last active', 'Ends']} actions />
          <tbody>
            {(sessions ?? []).map((s) => (
              <tr key={s.id} data-current={s.current || undefined}>
                <td title={s.userAgent ?? undefined}>{browserName(s.userAgent)}{s.providerId && <span className="muted"> · {s.providerName ?? s.providerId}</span>}</td>
                <td>{s.ip ?? '—'}</td>
                <td>{when(s.createdAt)}</td>
                <td>{when(s.lastSeenAt)}</td>
                <td>{when(s.expiresAt)}</td>
                <td className="actions">
                  {s.current ? <span className="badge">This browser</span> : (
                    <ConfirmButton label="End" ariaLabel={`End session of ${browserName(s.userAgent)} from ${s.ip ?? 'unknown address'}`}
                      question="End this session?" consequence="That browser is signed out at once."
                      onConfirm={() => run(() => authApi.endSession(s.id), 'Session ended.')} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
