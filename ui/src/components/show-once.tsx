import { useEffect, useRef, useState } from 'react';

/**
 * A new token's secret, shown exactly once: Gatehouse stores only its hash, so closing this box loses it for good.
 * The box takes focus so keyboard and screen-reader users land on it.
 */
export function ShowOnce({ title, secret, onDone }: { title: string; secret: string; onDone(): void }) {
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');
  const box = useRef<HTMLElement>(null);
  useEffect(() => box.current?.focus(), []);
  const doCopy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopy('copied');
    } catch {
      setCopy('failed');
    }
  };
  return (
    <section className="card show-once" aria-labelledby="show-once-title" tabIndex={-1} ref={box}>
      <h2 id="show-once-title">{title}</h2>
      <p className="warning-text">
        Copy it now. It is shown only this once: Gatehouse keeps only a fingerprint and cannot show it again.
      </p>
      <label htmlFor="show-once-value" className="sr-only">{title}</label>
      <textarea id="show-once-value" readOnly value={secret} rows={4} className="mono secret" spellCheck={false}
        data-testid="secret-value" onFocus={(e) => e.currentTarget.select()} />
      <div className="row">
        <button type="button" className="primary" onClick={() => void doCopy()}>Copy</button>
        <button type="button" onClick={onDone}>Done, I have stored it</button>
        <span role="status" className="muted">
          {copy === 'copied' ? 'Copied to the clipboard.' : copy === 'failed' ? 'Copying is blocked here: select the text and copy it.' : ''}
        </span>
      </div>
    </section>
  );
}
