import { useEffect, useState } from 'react';
import { api, type Diagnostics as Data } from '../../api';
import { Alert, errorText } from '../../components/ui';

/** What an operator checks first: the production checklist, each provider, the effective configuration. */
export default function Diagnostics() {
  const [data, setData] = useState<Data | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => void api.diagnostics().then(setData, (e: unknown) => setError(errorText(e))), []);
  if (error) return <Alert kind="error">{error}</Alert>;
  if (!data) return <p>Checking…</p>;
  return (
    <>
      <h1>Diagnostics</h1>
      <p className="muted">Gatehouse {data.version}, {data.environment} mode.</p>
      <section className="card" aria-labelledby="checklist">
        <h2 id="checklist">Production checklist</h2>
        <ul className="checklist">{data.checklist.map((c) => <li key={c.id} className={c.ok ? 'ok' : 'fail'}><span aria-hidden="true">{c.ok ? '✔' : '✘'}</span> <span className="sr-only">{c.ok ? 'OK:' : 'Needs attention:'}</span> {c.message}</li>)}</ul>
      </section>
      <section className="card" aria-labelledby="providers">
        <h2 id="providers">Sign-in providers</h2>
        {data.providers.length === 0 && <p className="muted">None configured (password sign-in only).</p>}
        <table>
          <thead><tr><th scope="col">Provider</th><th scope="col">Issuer</th><th scope="col">Discovery</th><th scope="col">JWKS key ids</th><th scope="col">Clock skew</th></tr></thead>
          <tbody>
            {data.providers.map((p) => (
              <tr key={p.id}>
                <td>{p.displayName} <span className="muted">({p.id})</span></td><td className="mono">{p.issuer}</td>
                <td className={p.discovery.ok ? '' : 'fail'}>{p.discovery.ok ? 'reachable' : `failed: ${p.discovery.error ?? ''}`}</td>
                <td className="mono small">{p.jwksKids.join(', ') || '—'}</td>
                <td>{p.clockSkewSeconds === null ? 'unknown' : `${p.clockSkewSeconds} s`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card" aria-labelledby="config">
        <h2 id="config">Effective configuration (secrets hidden)</h2>
        <pre className="mono small">{JSON.stringify(data.config, null, 2)}</pre>
      </section>
    </>
  );
}
