import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, EXPIRY_CHOICES, type Bot } from '../../api';
import { Alert, ConfirmButton, errorText, ShowOnce, when } from '../../components/ui';

/** Bots: create, generate a token (shown once), revoke, see last use. */
export default function Bots() {
  const [bots, setBots] = useState<Bot[]>([]);
  const [secret, setSecret] = useState<{ bot: string; value: string } | null>(null);
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const reload = useCallback(async () => {
    try {
      setBots((await api.bots()).data);
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
  const create = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    await act(() => api.createBot(String(f.get('name')), String(f.get('description') ?? '')), 'Bot created.');
    form.reset();
  };
  const generate = async (bot: Bot, expiry: string) => {
    try {
      const { JWTToken } = await api.generateBotToken(bot.botUser.id, expiry);
      setSecret({ bot: bot.name, value: JWTToken });
      await reload();
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e) });
    }
  };
  return (
    <>
      <h1>Bots</h1>
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      {secret && <ShowOnce label={`Token for ${secret.bot}`} value={secret.value} onDone={() => setSecret(null)} />}
      <section className="card">
        <h2>New bot</h2>
        <form className="inline-form" onSubmit={(e) => void create(e)} aria-label="Create a bot">
          <div><label htmlFor="bot-name">Name</label><input id="bot-name" name="name" required pattern="[a-z0-9][a-z0-9._\-]*" title="lower-case letters, digits, . _ -" /></div>
          <div><label htmlFor="bot-description">Description</label><input id="bot-description" name="description" /></div>
          <button type="submit" className="primary">Create bot</button>
        </form>
      </section>
      <section className="card">
        <table>
          <thead><tr><th scope="col">Bot</th><th scope="col">Roles</th><th scope="col">Token expires</th><th scope="col">Last used</th><th scope="col">New token</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {bots.map((b) => (
              <tr key={b.id} data-bot={b.name}>
                <td><strong>{b.name}</strong><br /><span className="muted">{b.description ?? ''}</span></td>
                <td>{b.roles.join(', ')}</td>
                <td>{b.token ? (b.token.expiresAt ? when(b.token.expiresAt) : 'never') : 'no token'}</td>
                <td>{b.token ? when(b.token.lastUsedAt) : '—'}</td>
                <td>
                  <form className="row" onSubmit={(e) => { e.preventDefault(); void generate(b, String(new FormData(e.currentTarget).get('expiry'))); }}>
                    <label className="sr-only" htmlFor={`expiry-${b.id}`}>Expiry for {b.name}</label>
                    <select id={`expiry-${b.id}`} name="expiry" defaultValue="30">{EXPIRY_CHOICES.map(([v, l]) => <option key={v} value={v}>{l}</option>)}</select>
                    <button type="submit">Generate</button>
                  </form>
                </td>
                <td><div className="row">
                  {b.token && <ConfirmButton label="Revoke token" question={`Revoke the token of ${b.name}? It stops working at once.`} onConfirm={() => act(() => api.revokeBotToken(b.botUser.id), 'Token revoked.')} />}
                  <ConfirmButton label="Delete" question={`Delete the bot ${b.name} and its token?`} onConfirm={() => act(() => api.deleteBot(b.id), 'Bot deleted.')} />
                </div></td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
