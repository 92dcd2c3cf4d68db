import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { INPUT_LIMITS, NAME_RULE, NAME_RULE_WORDS, suggestName } from '../../../../src/shared/input-limits';
import { adminApi, type Bot, type TokenExpiry } from '../../api';
import { Alert, PageHeader, ShowOnce, TableHead, usePageData } from '../../components';
import { BotRow } from './bot-row';

/** The role a new bot gets unless another is chosen (the server's default too). */
const DEFAULT_BOT_ROLE = 'IngestionBotRole';

const INTRO = 'Programs that call the API (ingestion, lineage, automations). Each bot has one token at a time; '
  + 'generating a new one replaces the old.';

/** Bots: create, generate a token with an expiry (shown once), revoke, last used, delete. */
export default function BotsPage() {
  const load = useCallback(async () => (await adminApi.bots()).data, []);
  const { data: bots, notice, setNotice, run } = usePageData(load);
  const [secret, setSecret] = useState<{ bot: string; value: string } | null>(null);
  const [roles, setRoles] = useState<string[]>([]);
  // A name the server would refuse: say why, and offer a valid one instead of the browser's "match the format".
  const [badName, setBadName] = useState<{ typed: string; suggestion: string } | null>(null);
  const nameInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    adminApi.roles().then((r) => setRoles(r.data.map((x) => x.name)), () => setRoles([]));
  }, []);

  const create = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const name = String(f.get('name')).trim();
    if (!NAME_RULE.test(name.toLowerCase())) {
      setNotice(null);
      setBadName({ typed: name, suggestion: suggestName(name) });
      nameInput.current?.focus();
      return;
    }
    setBadName(null);
    const description = String(f.get('description') ?? '').trim();
    const role = String(f.get('role') ?? DEFAULT_BOT_ROLE);
    const created = await run(() => adminApi.createBot(name, description, [role]), `Bot “${name}” created. Generate a token for it below.`);
    if (created) form.reset();
  };
  const takeSuggestion = (suggestion: string) => {
    if (nameInput.current) nameInput.current.value = suggestion;
    setBadName(null);
    nameInput.current?.focus();
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
            <input id="bot-name" name="name" required maxLength={INPUT_LIMITS.name} ref={nameInput} autoCapitalize="none" spellCheck={false}
              aria-invalid={badName ? true : undefined} aria-describedby={badName ? 'bot-name-error bot-name-hint' : 'bot-name-hint'} />
            {badName && (
              <p id="bot-name-error" className="field-error" role="alert">
                “{badName.typed}” cannot be a bot name.{' '}
                {badName.suggestion && (
                  <button type="button" className="link" onClick={() => takeSuggestion(badName.suggestion)}>Use “{badName.suggestion}”</button>
                )}
              </p>
            )}
            <p id="bot-name-hint" className="hint">{NAME_RULE_WORDS}</p>
          </div>
          <div className="field">
            <label htmlFor="bot-role">Role</label>
            <select id="bot-role" name="role" key={roles.length} defaultValue={DEFAULT_BOT_ROLE}>
              {(roles.length ? roles : [DEFAULT_BOT_ROLE]).map((r) => <option key={r} value={r}>{r}</option>)}
            </select>
          </div>
          <div className="field grow">
            <label htmlFor="bot-description">Description <span className="muted">(optional)</span></label>
            <input id="bot-description" name="description" maxLength={INPUT_LIMITS.description} />
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
                  <BotRow key={b.id} bot={b} allRoles={roles} onGenerate={(expiry) => generate(b, expiry)}
                    onRoles={(chosen) => run(() => adminApi.updateUser(b.botUser.id, { roles: chosen }), `Roles of ${b.name} saved.`)}
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
