import { adminApi, type User } from '../../api';
import { ConfirmButton } from '../../components';
import { RolesDialog } from './roles-dialog';

type Run = (work: () => Promise<unknown>, done: string) => Promise<boolean>;

/** One user: identity, roles (editable), status and the account actions. */
export function UserRow({ user: u, allRoles, run }: { user: User; allRoles: string[]; run: Run }) {
  return (
    <tr data-user={u.name}>
      <td>
        <strong>{u.displayName ?? u.name}</strong>
        {u.isAdmin && <span className="badge">admin</span>}
        <div className="muted small">{u.name}{u.emailDerived ? '' : ` · ${u.email}`}</div>
      </td>
      <td className="small">{u.identities.length ? u.identities.map((i) => i.providerName ?? new URL(i.issuer).host).join(', ') : 'Password'}</td>
      <td>
        {u.roles.length ? u.roles.map((r) => r.name).join(', ') : <span className="muted">none</span>}
        <div>
          <RolesDialog name={u.name} allRoles={allRoles}
            assigned={u.roleGrants.filter((r) => r.source === 'manual').map((r) => r.name)}
            synced={u.roleGrants.filter((r) => r.source !== 'manual').map((r) => r.name)}
            onSave={(roles) => run(() => adminApi.updateUser(u.id, { roles }), `Roles of ${u.name} saved.`)} />
        </div>
      </td>
      <td>{u.disabled ? <span className="badge warn">disabled</span> : 'active'}</td>
      <td className="actions">
        <div className="row">
          {u.disabled ? (
            <button type="button" aria-label={`Enable ${u.name}`}
              onClick={() => void run(() => adminApi.updateUser(u.id, { disabled: false }), `${u.name} can sign in again.`)}>
              Enable
            </button>
          ) : (
            <ConfirmButton label="Disable" ariaLabel={`Disable ${u.name}`} question={`Disable ${u.name}?`}
              consequence="They are signed out everywhere and their tokens are revoked for good; enabling them later does not bring the tokens back."
              onConfirm={() => run(() => adminApi.updateUser(u.id, { disabled: true }), `${u.name} is disabled.`)} />
          )}
          <ConfirmButton label="End sessions" ariaLabel={`End sessions of ${u.name}`} question={`Sign ${u.name} out everywhere?`}
            consequence="Every browser session ends; tokens keep working." variant="plain"
            onConfirm={() => run(() => adminApi.endUserSessions(u.id), `Sessions of ${u.name} ended.`)} />
          <ConfirmButton label="Delete" ariaLabel={`Delete ${u.name}`} question={`Delete ${u.name}?`}
            consequence="Their sessions and tokens end. If they sign in through a provider again, a new account may be made."
            onConfirm={() => run(() => adminApi.deleteUser(u.id), `${u.name} deleted.`)} />
        </div>
      </td>
    </tr>
  );
}
