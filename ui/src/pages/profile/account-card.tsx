import type { AdminReason, User } from '../../api';
import { roleSource, TableHead, when } from '../../components';

const ADMIN_REASONS: Record<AdminReason, string> = {
  'admin-principals': 'Yes: your user name is in the server’s list of administrators (AUTHORIZER_ADMIN_PRINCIPALS), so every sign-in makes you one.',
  bootstrap: 'Yes: this is the administrator account Gatehouse created when it first started.',
  granted: 'Yes: another administrator made you one.',
};

/** Name, e-mail, groups, sign-in methods and each role with where it came from. */
export function AccountCard({ user }: { user: User }) {
  return (
    <section className="card" aria-labelledby="account-title">
      <h2 id="account-title">Account</h2>
      <dl className="facts">
        <dt>User name</dt>
        <dd>{user.name}</dd>
        <dt>E-mail</dt>
        <dd>{user.emailDerived ? '—' : user.email}</dd>
        <dt>Administrator</dt>
        <dd>{user.isAdmin ? (user.adminReason ? ADMIN_REASONS[user.adminReason] : 'Yes') : 'No'}</dd>
        <dt>Groups</dt>
        <dd>{user.groups.length ? <ul className="chips">{user.groups.map((g) => <li key={g} className="chip">{g}</li>)}</ul> : '—'}</dd>
        <dt>Signs in with</dt>
        <dd>
          {user.identities.length === 0 ? 'Password' : (
            <ul className="plain-list">
              {user.identities.map((i) => (
                <li key={i.issuer}>
                  {i.providerName ?? <span className="mono">{i.issuer}</span>} <span className="muted">· last sign-in {when(i.lastLoginAt)}</span>
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
      <h3>Roles</h3>
      {user.roleGrants.length === 0 ? <p className="muted">No roles: you can read what everyone may read.</p> : (
        <div className="table-wrap"><table className="compact">
          <TableHead columns={['Role', 'Where it comes from']} />
          <tbody>
            {user.roleGrants.map((r) => (
              <tr key={`${r.id}-${r.source}`}><td><strong>{r.name}</strong></td><td>{roleSource(r)}</td></tr>
            ))}
          </tbody>
        </table></div>
      )}
    </section>
  );
}
