import { useId, useRef } from 'react';
import { Modal } from './modal';

interface Props {
  label: string;
  question: string;
  /** What happens, in one sentence, under the question. */
  consequence?: string;
  onConfirm(): unknown;
  /** Accessible name of the opening button when the visible label is ambiguous in a table ("Delete ui-bot"). */
  ariaLabel?: string;
  variant?: 'danger' | 'primary' | 'plain';
}

/**
 * A button that asks first in a native modal <dialog>: focus moves into it, Escape cancels, focus returns to the
 * button afterwards. "Cancel" gets the focus so an Enter pressed by habit does no harm.
 */
export function ConfirmButton({ label, question, consequence, onConfirm, ariaLabel, variant = 'danger' }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const id = useId();
  const close = () => dialog.current?.close();
  return (
    <>
      <button type="button" className={variant} aria-label={ariaLabel} onClick={() => dialog.current?.showModal()}>
        {label}
      </button>
      <Modal ref={dialog} labelledBy={`${id}-q`} describedBy={consequence ? `${id}-c` : undefined}>
        <h2 id={`${id}-q`} className="dialog-title">{question}</h2>
        {consequence && <p id={`${id}-c`}>{consequence}</p>}
        <div className="row end">
          <button type="button" autoFocus onClick={close}>Cancel</button>
          <button type="button" className={variant === 'plain' ? 'primary' : variant} onClick={() => { close(); void onConfirm(); }}>
            {label}
          </button>
        </div>
      </Modal>
    </>
  );
}
