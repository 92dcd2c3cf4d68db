import { useId, useRef, type FormEvent } from 'react';
import type { User } from '../../api';

/**
 * Edit the roles an administrator assigns. Roles that come from a provider group or roles claim are shown but locked:
 * they follow the provider at every sign-in, so changing them here would not last.
 */
export function RolesDialog({ user, allRoles, onSave }: { user: User; allRoles: string[]; onSave(roles: string[]): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const id = useId();
  const manual = new Set(user.roleGrants.filter((r) => r.source === 'manual').map((r) => r.name));
  const synced = new Set(user.roleGrants.filter((r) => r.source !== 'manual').map((r) => r.name));
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const chosen = new FormData(e.currentTarget).getAll('role').map(String);
    dialog.current?.close();
    onSave(chosen);
  };
  return (
    <>
      <button type="button" className="link" aria-label={`Edit roles of ${user.name}`} onClick={() => dialog.current?.showModal()}>Edit roles</button>
      <dialog ref={dialog} aria-labelledby={`${id}-t`}>
        <form onSubmit={submit}>
          <h2 id={`${id}-t`} className="dialog-title">Roles of {user.name}</h2>
          <fieldset className="checks">
            <legend className="sr-only">Assigned roles</legend>
            {allRoles.map((r) => (
              <label key={r} className="check">
                <input type="checkbox" name="role" value={r}
                  defaultChecked={manual.has(r) || synced.has(r)} disabled={synced.has(r) && !manual.has(r)} />
                {r}{synced.has(r) && <span className="muted small"> (from the provider)</span>}
              </label>
            ))}
          </fieldset>
          <div className="row end">
            <button type="button" onClick={() => dialog.current?.close()}>Cancel</button>
            <button type="submit" className="primary">Save roles</button>
          </div>
        </form>
      </dialog>
    </>
  );
}
