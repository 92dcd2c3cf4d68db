import { useCallback, useState, type FormEvent } from 'react';
import { authApi } from '../../api';
import { Alert, ConfirmButton, EXPIRY_CHOICES, isExpiry, scopeText, ShowOnce, TableHead, usePageData, when } from '../../components';
import { INPUT_LIMITS } from '../../../../src/shared/input-limits';

/** Personal access tokens: create (name, expiry, scope), shown once, revoke, last used. */
export function TokensCard() {
  const load = useCallback(async () => (await authApi.personalTokens()).data, []);
  const { data: tokens, notice, setNotice, run } = usePageData(load);
  const [secret, setSecret] = useState<{ name: string; value: string } | null>(null);

  const create = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const name = String(f.get('tokenName')).trim();
    const expiry = String(f.get('expiry'));
    if (!isExpiry(expiry)) return;
    const scopes = f.get('scope') === 'read-only' ? ['read-only'] : undefined;
    const ok = await run(async () => {
      const created = await authApi.createPersonalToken(name, expiry, scopes);
      setSecret({ name, value: created.JWTToken });
    }, `Token “${name}” created.`);
    if (ok) form.reset();
  };

  const active = (tokens ?? []).filter((t) => !t.revoked);
  return (
    <section className="card" aria-labelledby="tokens-title">
      <h2 id="tokens-title">Personal access tokens</h2>
      <p className="muted">For scripts that call the API as you. Give each script its own token, so you can revoke one without the others.</p>
      {notice && <Alert kind={notice.kind}>{notice.text}</Alert>}
      {secret && <ShowOnce title={`New token “${secret.name}”`} secret={secret.value} onDone={() => { setSecret(null); setNotice(null); }} />}
      <form className="inline-form" onSubmit={(e) => void create(e)} aria-labelledby="new-token-title">
        <h3 id="new-token-title" className="sr-only">New personal access token</h3>
        <div className="field grow">
          <label htmlFor="tokenName">Token name</label>
          <input id="tokenName" name="tokenName" required maxLength={INPUT_LIMITS.tokenName} placeholder="e.g. nightly-export" />
        </div>
        <div className="field">
          <label htmlFor="token-expiry">Expires after</label>
          <select id="token-expiry" name="expiry" defaultValue="30">
            {EXPIRY_CHOICES.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="token-scope">Access</label>
          <select id="token-scope" name="scope" defaultValue="full">
            <option value="full">Everything I may do</option>
            <option value="read-only">Read only</option>
          </select>
        </div>
        <button type="submit" className="primary">Create token</button>
      </form>
      {active.length === 0 ? <p className="muted empty">You have no active tokens.</p> : (
        <div className="table-wrap">
          <table>
            <TableHead columns={['Name', 'Access', 'Created', 'Expires', 'Last used']} actions />
            <tbody>
              {active.map((t) => (
                <tr key={t.id} data-token={t.name ?? t.id}>
                  <td><strong>{t.name ?? '(no name)'}</strong></td>
                  <td title={t.scopes?.join(', ')}>{scopeText(t.scopes)}</td>
                  <td>{when(t.createdAt)}</td>
                  <td>{t.expiresAt ? when(t.expiresAt) : <span className="badge warn">never</span>}</td>
                  <td>{t.lastUsedAt ? when(t.lastUsedAt) : 'never'}</td>
                  <td className="actions">
                    <ConfirmButton label="Revoke" ariaLabel={`Revoke ${t.name ?? t.id}`} question={`Revoke the token “${t.name ?? t.id}”?`}
                      consequence="Scripts using it stop working at once. This cannot be undone."
                      onConfirm={() => run(() => authApi.revokePersonalToken(t.id), 'Token revoked.')} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
