import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, EXPIRY_CHOICES, type SessionInfo, type TokenInfo, type User } from '../api';
import { Alert, ConfirmButton, errorText, ShowOnce, when } from '../components/ui';

function roleSource(source: string): string {
  if (source === 'manual') return 'assigned by an administrator';
  const group = /^group:([^:]+):(.+)$/.exec(source);
  if (group) return `from group “${group[2]}” (${group[1]})`;
  if (source.startsWith('provider-roles:')) return `from the provider's roles claim (${source.slice(15)})`;
  return source;
}

/** Who I am, where my roles come from, my sessions and my personal access tokens. */
export function Profile({ user }: { user: User }) {
  const [sessions, setSessions] = useState<SessionInfo[]>([]);
  const [tokens, setTokens] = useState<TokenInfo[]>([]);
  const [secret, setSecret] = useState<string | null>(null);
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const reload = useCallback(async () => {
    try {
      const [s, t] = await Promise.all([api.sessions(), api.personalTokens()]);
      setSessions(s.data);
      setTokens(t.data);
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e) });
    }
  }, []);
  useEffect(() => void reload(), [reload]);
  const act = async (work: () => Promise<unknown>, done: string) => {
    try {
      await work();
      setMessage({ kind: 'success', text: done });
      await reload();
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e) });
    }
  };
  const createToken = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const form = e.currentTarget;
    try {
      const created = await api.createPersonalToken(String(f.get('tokenName')), String(f.get('expiry')), f.get('scope') === 'read-only' ? ['read-only'] : undefined);
      setSecret(created.JWTToken);
      form.reset();
      await reload();
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err) });
    }
  };

  return (
    <>
      <h1>{user.displayName ?? user.name}</h1>
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      <section className="card" aria-labelledby="me">
        <h2 id="me">Account</h2>
        <dl className="facts">
          <dt>User name</dt><dd>{user.name}</dd>
          <dt>E-mail</dt><dd>{user.email ?? '—'}</dd>
          <dt>Administrator</dt><dd>{user.isAdmin ? 'Yes' : 'No'}</dd>
          <dt>Groups</dt><dd>{user.groups.length ? user.groups.join(', ') : '—'}</dd>
          <dt>Signs in with</dt><dd>{user.identities.length ? user.identities.map((i) => i.issuer).join(', ') : 'password'}</dd>
        </dl>
        <h3>Roles</h3>
        {user.roles.length === 0 ? <p className="muted">No roles.</p> : (
          <ul className="roles">{user.roles.map((r) => <li key={`${r.id}-${r.source}`}><strong>{r.name}</strong> <span className="muted">{roleSource(r.source)}</span></li>)}</ul>
        )}
      </section>

      <section className="card" aria-labelledby="sessions">
        <div className="row spread"><h2 id="sessions">Active sessions</h2>
          {sessions.length > 1 && <ConfirmButton label="End all other sessions" question="End every session except this one?" onConfirm={() => act(() => api.endOtherSessions(), 'Other sessions ended.')} />}
        </div>
        <table>
          <thead><tr><th scope="col">Started</th><th scope="col">Last active</th><th scope="col">Browser</th><th scope="col">Address</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id}>
                <td>{when(s.createdAt)}</td><td>{when(s.lastSeenAt)}</td><td className="truncate">{s.userAgent ?? '—'}</td><td>{s.ip ?? '—'}</td>
                <td>{s.current ? <span className="badge">This session</span> : <ConfirmButton label="End" question="End this session?" onConfirm={() => act(() => api.endSession(s.id), 'Session ended.')} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="card" aria-labelledby="tokens">
        <h2 id="tokens">Personal access tokens</h2>
        <p className="muted">For scripts that call the API as you. A token is shown once; Gatehouse keeps only its hash.</p>
        {secret && <ShowOnce label="New personal access token" value={secret} onDone={() => setSecret(null)} />}
        <form className="inline-form" onSubmit={(e) => void createToken(e)} aria-label="Create a personal access token">
          <div><label htmlFor="tokenName">Name</label><input id="tokenName" name="tokenName" required maxLength={128} /></div>
          <div><label htmlFor="expiry">Expires</label><select id="expiry" name="expiry" defaultValue="30">{EXPIRY_CHOICES.map(([v, l]) => <option key={v} value={v}>{l}</option>)}</select></div>
          <div><label htmlFor="scope">Access</label><select id="scope" name="scope" defaultValue="full"><option value="full">Everything I can do</option><option value="read-only">Read only</option></select></div>
          <button type="submit" className="primary">Create token</button>
        </form>
        <table>
          <thead><tr><th scope="col">Name</th><th scope="col">Access</th><th scope="col">Expires</th><th scope="col">Last used</th><th scope="col">Status</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id}>
                <td>{t.name}</td><td>{t.scopes ? t.scopes.join(', ') : 'full'}</td><td>{t.expiresAt ? when(t.expiresAt) : 'never'}</td><td>{when(t.lastUsedAt)}</td>
                <td>{t.revoked ? 'revoked' : 'active'}</td>
                <td>{!t.revoked && <ConfirmButton label="Revoke" question={`Revoke the token “${t.name ?? t.id}”? Scripts using it stop at once.`} onConfirm={() => act(() => api.revokePersonalToken(t.id), 'Token revoked.')} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
