import { useEffect, useRef, type ReactNode } from 'react';

/**
 * The page's h1. It takes focus when the page opens so screen-reader users hear where a client-side navigation
 * landed (a full page load would announce the new title; a history push does not).
 */
export function PageHeader({ title, intro, actions }: { title: string; intro?: ReactNode; actions?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Gatehouse`;
    if (document.activeElement === document.body || document.activeElement?.closest('nav')) heading.current?.focus();
  }, [title]);
  return (
    <div className="page-header">
      <div>
        <h1 ref={heading} tabIndex={-1}>{title}</h1>
        {intro && <p className="muted intro">{intro}</p>}
      </div>
      {actions && <div className="row">{actions}</div>}
    </div>
  );
}
