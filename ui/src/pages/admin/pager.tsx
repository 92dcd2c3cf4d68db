interface Props {
  offset: number;
  limit: number;
  total: number;
  noun: string;
  onChange(offset: number): void;
  labels?: [previous: string, next: string];
}

/** "21–40 of 73" with previous and next buttons. */
export function Pager({ offset, limit, total, noun, onChange, labels = ['Previous', 'Next'] }: Props) {
  const first = total === 0 ? 0 : offset + 1;
  const last = Math.min(offset + limit, total);
  return (
    <nav className="pager" aria-label={`Pages of ${noun}`}>
      <span className="muted" aria-live="polite">{first}–{last} of {total} {noun}</span>
      <span className="row">
        <button type="button" disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - limit))}>{labels[0]}</button>
        <button type="button" disabled={offset + limit >= total} onClick={() => onChange(offset + limit)}>{labels[1]}</button>
      </span>
    </nav>
  );
}
