import { useCallback } from 'react';
import { adminApi } from '../../api';
import { Alert, CodeText, PageHeader, TableHead, usePageData } from '../../components';

/** What an operator checks first: the production checklist, each provider, the effective configuration. */
export default function DiagnosticsPage() {
  const load = useCallback(() => adminApi.diagnostics(), []);
  const { data, notice, reload } = usePageData(load);
  return (
    <>
      <PageHeader title="Diagnostics"
        intro={data ? `Gatehouse ${data.version ?? ''} in ${data.environment} mode.` : 'Checking the configuration and every sign-in provider…'}
        actions={<button type="button" onClick={() => void reload()}>Check again</button>} />
      {notice && <Alert kind={notice.kind}>{notice.text}</Alert>}
      {data && (
        <>
          <section className="card" aria-labelledby="checklist-title">
            <h2 id="checklist-title">Production checklist</h2>
            <ul className="checklist">
              {data.checklist.map((c) => (
                <li key={c.id} className={c.ok ? 'ok' : 'fail'}>
                  <span className="check-mark" aria-hidden="true">{c.ok ? '✓' : '!'}</span>
                  <span><span className="sr-only">{c.ok ? 'OK: ' : 'Needs attention: '}</span><CodeText text={c.message} /></span>
                </li>
              ))}
            </ul>
          </section>
          <section className="card" aria-labelledby="providers-title">
            <h2 id="providers-title">Sign-in providers</h2>
            {data.providers.length === 0 ? <p className="muted">None configured: password sign-in only.</p> : (
              <div className="table-wrap">
                <table>
                  <TableHead columns={['Provider', 'Issuer', 'Discovery', 'JWKS key ids', 'Clock skew']} />
                  <tbody>
                    {data.providers.map((p) => (
                      <tr key={p.id}>
                        <td><strong>{p.displayName}</strong> <span className="muted">({p.id})</span></td>
                        <td className="mono break">{p.issuer}</td>
                        <td className={p.discovery.ok ? 'ok' : 'fail'}>
                          {p.discovery.ok ? 'reachable' : <>failed: <CodeText text={p.discovery.error ?? 'unknown error'} /></>}
                        </td>
                        <td className="mono small break">{p.jwksKids.length ? p.jwksKids.join(', ') : '—'}</td>
                        <td>{p.clockSkewSeconds === null ? 'unknown' : `${p.clockSkewSeconds} s`}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
          <section className="card" aria-labelledby="config-title">
            <h2 id="config-title">Effective configuration</h2>
            <p className="muted">Secrets are shown as ***.</p>
            <pre className="mono small config">{JSON.stringify(data.config, null, 2)}</pre>
          </section>
        </>
      )}
    </>
  );
}
