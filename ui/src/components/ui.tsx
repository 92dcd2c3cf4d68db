import { useRef, useState, type ReactNode } from 'react';
import { ApiError } from '../api';
import { messageFor } from '../messages';

export function Alert({ kind, children }: { kind: 'error' | 'info' | 'success'; children: ReactNode }) {
  return <div className={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'} aria-live="polite">{children}</div>;
}

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return `${messageFor(error.code, error.message)}${error.detail ? ` ${error.detail}` : ''}`;
  return 'Something went wrong. Please try again.';
}

/** A secret shown exactly once, with a copy button and a warning. */
export function ShowOnce({ label, value, onDone }: { label: string; value: string; onDone(): void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="card show-once" role="region" aria-label={label}>
      <p><strong>{label}</strong> — copy it now: it is shown only once and cannot be retrieved later.</p>
      <textarea readOnly value={value} aria-label={label} rows={3} className="mono" data-testid="secret-value" />
      <div className="row">
        <button type="button" className="primary" onClick={() => void navigator.clipboard?.writeText(value).then(() => setCopied(true), () => setCopied(false))}>
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" onClick={onDone}>Done</button>
      </div>
    </div>
  );
}

/** A danger button that asks first, in an accessible modal dialog. */
export function ConfirmButton({ label, question, onConfirm, className }: { label: string; question: string; onConfirm(): void | Promise<void>; className?: string }) {
  const dialog = useRef<HTMLDialogElement>(null);
  return (
    <>
      <button type="button" className={className ?? 'danger'} onClick={() => dialog.current?.showModal()}>{label}</button>
      <dialog ref={dialog} aria-label={question}>
        <p>{question}</p>
        <div className="row">
          <button type="button" className="danger" onClick={() => { dialog.current?.close(); void onConfirm(); }}>{label}</button>
          <button type="button" autoFocus onClick={() => dialog.current?.close()}>Cancel</button>
        </div>
      </dialog>
    </>
  );
}

export const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');
