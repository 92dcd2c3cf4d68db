import type { ReactNode } from 'react';
import { ApiError } from '../api';
import { messageFor } from '../messages';

export type Notice = { kind: 'error' | 'success' | 'info'; text: string };

/** A message box; errors interrupt screen readers (role=alert), the rest are announced politely (role=status). */
export function Alert({ kind, children }: { kind: Notice['kind']; children: ReactNode }) {
  return (
    <div className={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

/** Plain words for any failure; the server's detail is added when it helps (it never carries secrets). */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    const text = messageFor(error.code, error.message);
    return error.detail ? `${text} (${error.detail})` : text;
  }
  return 'Something went wrong. Please try again.';
}
