import { useCallback, useEffect, useState } from 'react';
import { api, type AuditEvent } from '../../api';
import { Alert, errorText, when } from '../../components/ui';

const PAGE = 25;

/** The audit log with filters and paging. */
export default function Audit() {
  const [filters, setFilters] = useState({ type: '', outcome: '', actor: '' });
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<{ data: AuditEvent[]; total: number }>({ data: [], total: 0 });
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    try {
      const res = await api.audit(filters, offset, PAGE);
      setPage({ data: res.data, total: res.paging.total });
    } catch (e) {
      setError(errorText(e));
    }
  }, [filters, offset]);
  useEffect(() => void reload(), [reload]);
  const set = (key: keyof typeof filters, value: string) => { setOffset(0); setFilters({ ...filters, [key]: value }); };
  return (
    <>
      <h1>Audit log</h1>
      {error && <Alert kind="error">{error}</Alert>}
      <form className="inline-form" onSubmit={(e) => e.preventDefault()} aria-label="Filters">
        <div><label htmlFor="f-type">Type</label><input id="f-type" value={filters.type} onChange={(e) => set('type', e.target.value)} placeholder="auth.login" /></div>
        <div><label htmlFor="f-outcome">Outcome</label><select id="f-outcome" value={filters.outcome} onChange={(e) => set('outcome', e.target.value)}><option value="">any</option><option value="success">success</option><option value="failure">failure</option></select></div>
        <div><label htmlFor="f-actor">Actor</label><input id="f-actor" value={filters.actor} onChange={(e) => set('actor', e.target.value)} /></div>
      </form>
      <section className="card">
        <table>
          <thead><tr><th scope="col">Time</th><th scope="col">Event</th><th scope="col">Outcome</th><th scope="col">Actor</th><th scope="col">Target</th><th scope="col">Address</th><th scope="col">Details</th></tr></thead>
          <tbody>
            {page.data.map((e) => (
              <tr key={e.id}>
                <td>{when(e.at)}</td><td className="mono">{e.type}</td><td className={e.outcome === 'failure' ? 'fail' : ''}>{e.outcome}</td>
                <td>{e.actorName ?? '—'}</td><td>{e.targetName ?? e.targetType ?? '—'}</td><td>{e.ip ?? '—'}</td>
                <td className="mono small">{e.details ? JSON.stringify(e.details) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="row spread">
          <span className="muted">{page.total} events</span>
          <span className="row">
            <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>Newer</button>
            <button type="button" disabled={offset + PAGE >= page.total} onClick={() => setOffset(offset + PAGE)}>Older</button>
          </span>
        </div>
      </section>
    </>
  );
}
