import { forwardRef, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

interface Props {
  labelledBy: string;
  describedBy?: string | undefined;
  children: ReactNode;
}

/**
 * A native modal <dialog>, rendered at the end of <body> rather than where it is opened: opened from a table row it
 * would otherwise inherit the cell's styles (right-aligned, no wrapping, so the question was cut mid-sentence).
 */
export const Modal = forwardRef<HTMLDialogElement, Props>(function Modal({ labelledBy, describedBy, children }, ref) {
  return createPortal(
    <dialog ref={ref} aria-labelledby={labelledBy} aria-describedby={describedBy}>
      {children}
    </dialog>,
    document.body,
  );
});
