import { useCallback, useState, type FormEvent } from 'react';
import { adminApi, type AuditFilters } from '../../api';
import { Alert, PageHeader, TableHead, usePageData, when } from '../../components';
import { AuditDetails } from './audit-details';
import { Pager } from './pager';
import { INPUT_LIMITS } from '../../../../src/shared/input-limits';

const PAGE_SIZE = 25;

/** A datetime-local value ("2026-11-28T10:00", the browser's local time) as the ISO time the server wants. */
const isoOf = (value: FormDataEntryValue | null) => (value ? new Date(String(value)).toISOString() : undefined);

/** The audit log, newest first, with filters and paging. */
export default function AuditPage() {
  const [filters, setFilters] = useState<AuditFilters>({});
  const [offset, setOffset] = useState(0);
  const load = useCallback(() => adminApi.audit(filters, offset, PAGE_SIZE), [filters, offset]);
  const { data: page, notice } = usePageData(load);

  const apply = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (k: string) => String(f.get(k) ?? '').trim() || undefined;
    setOffset(0);
    setFilters({ type: text('type'), outcome: text('outcome'), actor: text('actor'), from: isoOf(f.get('from')), to: isoOf(f.get('to')) });
  };

  return (
    <>
      <PageHeader title="Audit log" intro="Sign-ins, failures, lockouts, token, key and user changes, newest first." />
      {notice && <Alert kind={notice.kind}>{notice.text}</Alert>}
      <form className="inline-form card filters" onSubmit={apply} aria-label="Filter events" onReset={() => { setOffset(0); setFilters({}); }}>
        <div className="field">
          <label htmlFor="f-type">Event type</label>
          <input id="f-type" name="type" placeholder="auth.login" maxLength={INPUT_LIMITS.auditType} />
        </div>
        <div className="field">
          <label htmlFor="f-outcome">Outcome</label>
          <select id="f-outcome" name="outcome" defaultValue="">
            <option value="">Any</option>
            <option value="success">Success</option>
            <option value="failure">Failure</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-actor">Who</label>
          <input id="f-actor" name="actor" placeholder="user name" maxLength={INPUT_LIMITS.auditActor} />
        </div>
        <div className="field">
          <label htmlFor="f-from">From</label>
          <input id="f-from" name="from" type="datetime-local" />
        </div>
        <div className="field">
          <label htmlFor="f-to">Until</label>
          <input id="f-to" name="to" type="datetime-local" />
        </div>
        <div className="row"><button type="submit" className="primary">Apply</button><button type="reset">Clear</button></div>
      </form>
      <section className="card" aria-labelledby="events-title">
        <h2 id="events-title" className="sr-only">Events</h2>
        {page && page.data.length === 0 && <p className="muted empty">No events match.</p>}
        {page && page.data.length > 0 && (
          <div className="table-wrap">
            <table>
              <TableHead columns={['Time', 'Event', 'Outcome', 'Who', 'Target', 'Address', 'Details']} />
              <tbody>
                {page.data.map((e) => (
                  <tr key={e.id}>
                    <td className="nowrap">{when(e.at)}</td>
                    <td className="mono">{e.type}</td>
                    <td><span className={`badge outcome-${e.outcome}`}>{e.outcome}</span></td>
                    <td>{e.actorName ?? '—'}</td>
                    <td>{e.targetName ?? e.targetType ?? '—'}</td>
                    <td>{e.ip ?? '—'}</td>
                    <td className="small break details"><AuditDetails details={e.details} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {page && <Pager offset={offset} limit={PAGE_SIZE} total={page.paging.total} noun="events" onChange={setOffset} labels={['Newer', 'Older']} />}
      </section>
    </>
  );
}
