import { useCallback } from 'react';
import { adminApi, type KeyInfo } from '../../api';
import { Alert, ConfirmButton, PageHeader, TableHead, usePageData, when } from '../../components';

const STATUS_WORDS: Record<string, string> = {
  active: 'Signs new tokens',
  retiring: 'Verifies only',
  retired: 'Retired',
};

const INTRO = 'The active key signs new bot and personal tokens; older keys keep verifying the tokens they signed until you '
  + 'retire them. Rotating never breaks existing tokens; retiring does.';

function lastToken(k: KeyInfo): string {
  if (k.lastTokenExpiresAt === 'never') return 'never (it signed a token without expiry)';
  return k.lastTokenExpiresAt ? when(k.lastTokenExpiresAt) : '—';
}

/** Signing keys: status, rotate, retire. */
export default function KeysPage() {
  const load = useCallback(async () => (await adminApi.keys()).data, []);
  const { data: keys, notice, run } = usePageData(load);
  return (
    <>
      <PageHeader
        title="Signing keys"
        intro={INTRO}
        actions={
          <ConfirmButton variant="primary" label="Rotate now" question="Make a new signing key active?"
            consequence="The current key keeps verifying the tokens it signed; new tokens are signed with the new key."
            onConfirm={() => run(() => adminApi.rotateKey(), 'A new key is active.')} />
        }
      />
      {notice && <Alert kind={notice.kind}>{notice.text}</Alert>}
      <section className="card" aria-labelledby="keys-title">
        <h2 id="keys-title">Keys</h2>
        <div className="table-wrap">
          <table>
            <TableHead columns={['Key id (kid)', 'Status', 'Source', 'Size', 'Created', 'Its last token expires']} actions />
            <tbody>
              {(keys ?? []).map((k) => (
                <tr key={k.kid} data-kid={k.kid}>
                  <td className="mono break">{k.kid}</td>
                  <td><span className={`badge status-${k.status}`}>{STATUS_WORDS[k.status] ?? k.status}</span></td>
                  <td>{k.source ?? '—'}{k.development && <span className="badge warn">development key</span>}</td>
                  <td>{k.bits} bits</td>
                  <td>{when(k.createdAt)}</td>
                  <td>{lastToken(k)}</td>
                  <td className="actions">
                    {k.status === 'retiring' && (
                      <ConfirmButton label="Retire" ariaLabel={`Retire ${k.kid}`} question={`Retire key ${k.kid}?`}
                        consequence="Tokens it signed stop working at once, and it leaves the JWKS."
                        onConfirm={() => run(() => adminApi.retireKey(k.kid), 'Key retired.')} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
