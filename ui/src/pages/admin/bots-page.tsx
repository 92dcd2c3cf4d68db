import { useCallback, useState, type FormEvent } from 'react';
import { adminApi, type Bot, type TokenExpiry } from '../../api';
import { Alert, PageHeader, ShowOnce, TableHead, usePageData } from '../../components';
import { BotRow } from './bot-row';

const INTRO = 'Programs that call the API (ingestion, lineage, automations). Each bot has one token at a time; '
  + 'generating a new one replaces the old.';

/** Bots: create, generate a token with an expiry (shown once), revoke, last used, delete. */
export default function BotsPage() {
  const load = useCallback(async () => (await adminApi.bots()).data, []);
  const { data: bots, notice, setNotice, run } = usePageData(load);
  const [secret, setSecret] = useState<{ bot: string; value: string } | null>(null);

  const create = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const name = String(f.get('name')).trim();
    const description = String(f.get('description') ?? '').trim();
    const created = await run(() => adminApi.createBot(name, description), `Bot “${name}” created. Generate a token for it below.`);
    if (created) form.reset();
  };
  const generate = (bot: Bot, expiry: TokenExpiry) =>
    run(async () => {
      const { JWTToken } = await adminApi.generateBotToken(bot.botUser.id, expiry);
      setSecret({ bot: bot.name, value: JWTToken });
    }, bot.token ? `New token for ${bot.name}; its previous token no longer works.` : `Token generated for ${bot.name}.`);

  return (
    <>
      <PageHeader title="Bots" intro={INTRO} />
      {notice && <Alert kind={notice.kind}>{notice.text}</Alert>}
      {secret && <ShowOnce title={`Token for ${secret.bot}`} secret={secret.value} onDone={() => { setSecret(null); setNotice(null); }} />}
      <section className="card" aria-labelledby="new-bot-title">
        <h2 id="new-bot-title">New bot</h2>
        <form className="inline-form" onSubmit={(e) => void create(e)}>
          <div className="field">
            <label htmlFor="bot-name">Name</label>
            <input id="bot-name" name="name" required maxLength={64} pattern="[a-z0-9][a-z0-9._\-]*" aria-describedby="bot-name-hint"
              autoCapitalize="none" spellCheck={false} />
            <p id="bot-name-hint" className="hint">Lower-case letters, digits, dot, dash, underscore.</p>
          </div>
          <div className="field grow">
            <label htmlFor="bot-description">Description <span className="muted">(optional)</span></label>
            <input id="bot-description" name="description" maxLength={2000} />
          </div>
          <button type="submit" className="primary">Create bot</button>
        </form>
      </section>
      <section className="card" aria-labelledby="bots-title">
        <h2 id="bots-title">All bots</h2>
        {bots && bots.length === 0 && <p className="muted empty">No bots yet.</p>}
        {bots && bots.length > 0 && (
          <div className="table-wrap">
            <table>
              <TableHead columns={['Bot', 'Roles', 'Token', 'New token']} actions />
              <tbody>
                {bots.map((b) => (
                  <BotRow key={b.id} bot={b} onGenerate={(expiry) => generate(b, expiry)}
                    onRevoke={() => run(() => adminApi.revokeBotToken(b.botUser.id), `Token of ${b.name} revoked.`)}
                    onDelete={() => run(() => adminApi.deleteBot(b.id), `Bot ${b.name} deleted.`)} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
