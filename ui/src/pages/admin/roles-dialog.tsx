import { useId, useRef, type FormEvent } from 'react';
import { Modal } from '../../components';

interface Props {
  /** The user or bot name, for the button's accessible name and the dialog title. */
  name: string;
  /** Roles an administrator assigned: these can be changed here. */
  assigned: readonly string[];
  /** Roles from a provider group or roles claim: shown but locked, they follow the provider at every sign-in. */
  synced?: readonly string[];
  allRoles: readonly string[];
  onSave(roles: string[]): void;
}

/** Edit the roles an administrator assigns to a user or a bot. */
export function RolesDialog({ name, assigned, synced = [], allRoles, onSave }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const id = useId();
  const manual = new Set(assigned);
  const locked = new Set(synced);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const chosen = new FormData(e.currentTarget).getAll('role').map(String);
    dialog.current?.close();
    onSave(chosen);
  };
  return (
    <>
      <button type="button" className="link" aria-label={`Edit roles of ${name}`} onClick={() => dialog.current?.showModal()}>Edit roles</button>
      <Modal ref={dialog} labelledBy={`${id}-t`}>
        <form onSubmit={submit}>
          <h2 id={`${id}-t`} className="dialog-title">Roles of {name}</h2>
          <fieldset className="checks">
            <legend className="sr-only">Assigned roles</legend>
            {allRoles.map((r) => (
              <label key={r} className="check">
                <input type="checkbox" name="role" value={r}
                  defaultChecked={manual.has(r) || locked.has(r)} disabled={locked.has(r) && !manual.has(r)} />
                {r}{locked.has(r) && <span className="muted small"> (from the provider)</span>}
              </label>
            ))}
          </fieldset>
          <div className="row end">
            <button type="button" onClick={() => dialog.current?.close()}>Cancel</button>
            <button type="submit" className="primary">Save roles</button>
          </div>
        </form>
      </Modal>
    </>
  );
}
