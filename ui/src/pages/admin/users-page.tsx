import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { adminApi } from '../../api';
import { Alert, PageHeader, TableHead, usePageData } from '../../components';
import { Pager } from './pager';
import { UserRow } from './user-row';
import { INPUT_LIMITS } from '../../../../src/shared/input-limits';

const PAGE_SIZE = 20;

/** Users: search, paging, roles, disable, delete, end sessions. */
export default function UsersPage() {
  const [q, setQ] = useState('');
  const [offset, setOffset] = useState(0);
  const [roles, setRoles] = useState<string[]>([]);
  const load = useCallback(() => adminApi.users(q, offset, PAGE_SIZE), [q, offset]);
  const { data: page, notice, run } = usePageData(load);
  useEffect(() => {
    adminApi.roles().then((r) => setRoles(r.data.map((x) => x.name)), () => setRoles([]));
  }, []);

  const search = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setOffset(0);
    setQ(String(new FormData(e.currentTarget).get('q')).trim());
  };

  return (
    <>
      <PageHeader title="Users" intro="People who signed in through a provider or were added by an administrator. Bots are on their own page." />
      {notice && <Alert kind={notice.kind}>{notice.text}</Alert>}
      <form className="inline-form" role="search" onSubmit={search}>
        <div className="field grow">
          <label htmlFor="user-search">Search users</label>
          <input id="user-search" name="q" type="search" defaultValue={q} placeholder="Name or e-mail" maxLength={INPUT_LIMITS.userSearch} />
        </div>
        <button type="submit">Search</button>
      </form>
      <section className="card" aria-labelledby="users-title">
        <h2 id="users-title">{q ? `Users matching “${q}”` : 'All users'}</h2>
        {page && page.data.length === 0 && <p className="muted empty">No users found.</p>}
        {page && page.data.length > 0 && (
          <div className="table-wrap">
            <table>
              <TableHead columns={['User', 'Signs in with', 'Roles', 'Status']} actions />
              <tbody>
                {page.data.map((u) => <UserRow key={u.id} user={u} allRoles={roles} run={run} />)}
              </tbody>
            </table>
          </div>
        )}
        {page && <Pager offset={offset} limit={PAGE_SIZE} total={page.paging.total} noun="users" onChange={setOffset} />}
      </section>
    </>
  );
}
