import type { ReactNode } from 'react';
import { ApiError } from '../api';
import { refusalText } from '../messages';

export type Notice = { kind: 'error' | 'success' | 'info'; text: string };

/** A message box; errors interrupt screen readers (role=alert), the rest are announced politely (role=status). */
export function Alert({ kind, children }: { kind: Notice['kind']; children: ReactNode }) {
  return (
    <div className={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

/** Plain words for any failure (src/messages.ts); the server's detail is added when it is written for people. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return refusalText(error.code, error.message, error.detail);
  return 'Something went wrong. Please try again.';
}
