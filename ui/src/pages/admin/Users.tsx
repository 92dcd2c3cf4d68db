import { useCallback, useEffect, useState } from 'react';
import { api, type User } from '../../api';
import { Alert, ConfirmButton, errorText } from '../../components/ui';

const PAGE = 20;

/** Users: search, paging, roles, disable, delete, end sessions. */
export default function Users() {
  const [q, setQ] = useState('');
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<{ data: User[]; total: number }>({ data: [], total: 0 });
  const [roles, setRoles] = useState<string[]>([]);
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const reload = useCallback(async () => {
    try {
      const res = await api.users(q, offset, PAGE);
      setPage({ data: res.data, total: res.paging.total });
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e) });
    }
  }, [q, offset]);
  useEffect(() => void reload(), [reload]);
  useEffect(() => void api.roles().then((r) => setRoles(r.data.map((x) => x.name)), () => {}), []);
  const act = async (work: () => Promise<unknown>, done: string) => {
    try {
      await work();
      setMessage({ kind: 'success', text: done });
      await reload();
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e) });
    }
  };
  const manual = (u: User) => u.roles.filter((r) => r.source === 'manual').map((r) => r.name);
  return (
    <>
      <h1>Users</h1>
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      <div className="row">
        <label htmlFor="user-search">Search</label>
        <input id="user-search" type="search" value={q} onChange={(e) => { setOffset(0); setQ(e.target.value); }} placeholder="name, e-mail" />
      </div>
      <section className="card">
        <table>
          <thead><tr><th scope="col">User</th><th scope="col">Roles</th><th scope="col">Status</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {page.data.map((u) => (
              <tr key={u.id}>
                <td><strong>{u.name}</strong>{u.isAdmin && <span className="badge">admin</span>}<br /><span className="muted">{u.email ?? ''}</span></td>
                <td>
                  <fieldset className="roles-edit"><legend className="sr-only">Roles of {u.name}</legend>
                    {roles.map((r) => (
                      <label key={r} className="check">
                        <input type="checkbox" checked={u.roles.some((x) => x.name === r)} disabled={u.roles.some((x) => x.name === r && x.source !== 'manual')}
                          onChange={(e) => void act(() => api.updateUser(u.id, { roles: e.target.checked ? [...manual(u), r] : manual(u).filter((x) => x !== r) }), 'Roles saved.')} />
                        {r}
                      </label>
                    ))}
                  </fieldset>
                </td>
                <td>{u.disabled ? 'disabled' : 'active'}</td>
                <td><div className="row">
                  <button type="button" onClick={() => void act(() => api.updateUser(u.id, { disabled: !u.disabled }), u.disabled ? 'User enabled.' : 'User disabled.')}>{u.disabled ? 'Enable' : 'Disable'}</button>
                  <ConfirmButton className="secondary" label="End sessions" question={`Sign ${u.name} out everywhere?`} onConfirm={() => act(() => api.endUserSessions(u.id), 'Sessions ended.')} />
                  <ConfirmButton label="Delete" question={`Delete ${u.name}? Their tokens and sessions end.`} onConfirm={() => act(() => api.deleteUser(u.id), 'User deleted.')} />
                </div></td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="row spread">
          <span className="muted">{page.total} users</span>
          <span className="row">
            <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>Previous</button>
            <button type="button" disabled={offset + PAGE >= page.total} onClick={() => setOffset(offset + PAGE)}>Next</button>
          </span>
        </div>
      </section>
    </>
  );
}
