import { useCallback, useEffect, useState } from 'react';
import { api, type KeyInfo } from '../../api';
import { Alert, ConfirmButton, errorText, when } from '../../components/ui';

/** Signing keys: status, rotate, retire. */
export default function Keys() {
  const [keys, setKeys] = useState<KeyInfo[]>([]);
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const reload = useCallback(async () => {
    try {
      setKeys((await api.keys()).data);
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e) });
    }
  }, []);
  useEffect(() => void reload(), [reload]);
  const act = async (work: () => Promise<unknown>, done: string) => {
    try {
      await work();
      setMessage({ kind: 'success', text: done });
      await reload();
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e) });
    }
  };
  return (
    <>
      <h1>Signing keys</h1>
      <p className="muted">The active key signs new tokens; retiring keys still verify the tokens they signed. Rotating never breaks existing bot tokens.</p>
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      <ConfirmButton className="primary" label="Rotate" question="Make a new active signing key? The current one keeps verifying its tokens." onConfirm={() => act(() => api.rotateKey(), 'New key active.')} />
      <section className="card">
        <table>
          <thead><tr><th scope="col">Key id</th><th scope="col">Status</th><th scope="col">Source</th><th scope="col">Bits</th><th scope="col">Created</th><th scope="col">Last token expires</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {keys.map((k) => (
              <tr key={k.kid}>
                <td className="mono truncate">{k.kid}</td>
                <td><span className={`badge status-${k.status}`}>{k.status}</span></td>
                <td>{k.source}{k.development && <span className="badge warn">development</span>}</td>
                <td>{k.bits}</td><td>{when(k.createdAt)}</td><td>{k.lastTokenExpiresAt === 'never' ? 'never (unlimited token)' : when(k.lastTokenExpiresAt)}</td>
                <td>{k.status === 'retiring' && <ConfirmButton label="Retire" question={`Retire ${k.kid}? Tokens it signed stop working at once.`} onConfirm={() => act(() => api.retireKey(k.kid), 'Key retired.')} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
