import { useState } from 'react';
import type { Bot, TokenExpiry } from '../../api';
import { ConfirmButton, EXPIRY_CHOICES, isExpiry, when } from '../../components';
import { RolesDialog } from './roles-dialog';

interface Props {
  bot: Bot;
  allRoles: readonly string[];
  onRoles(roles: string[]): void;
  onGenerate(expiry: TokenExpiry): void;
  onRevoke(): void;
  onDelete(): void;
}

/** One bot: its roles (editable), its token's state, an expiry picker to generate a new token, revoke and delete. */
export function BotRow({ bot, allRoles, onRoles, onGenerate, onRevoke, onDelete }: Props) {
  const token = bot.token && !bot.token.revoked ? bot.token : null;
  const [expiry, setExpiry] = useState<TokenExpiry>('30');
  const generateLabel = `Generate token for ${bot.name}`;
  return (
    <tr data-bot={bot.name}>
      <td>
        <strong>{bot.displayName ?? bot.name}</strong>
        {bot.displayName && <span className="muted"> ({bot.name})</span>}
        {bot.description && <div className="muted small">{bot.description}</div>}
      </td>
      <td>
        {bot.roles.length ? bot.roles.join(', ') : <span className="muted">none</span>}
        <div><RolesDialog name={bot.name} assigned={bot.roles} allRoles={allRoles} onSave={onRoles} /></div>
      </td>
      <td>
        {!token ? <span className="badge">no token</span>
          : token.expiresAt ? <>expires {when(token.expiresAt)}</>
          : <span className="badge warn">never expires</span>}
        {token && <div className="muted small">last used {token.lastUsedAt ? when(token.lastUsedAt) : 'never'}</div>}
      </td>
      <td>
        <div className="row nowrap">
          <label className="sr-only" htmlFor={`expiry-${bot.id}`}>Token expiry for {bot.name}</label>
          <select id={`expiry-${bot.id}`} value={expiry} onChange={(e) => isExpiry(e.target.value) && setExpiry(e.target.value)}>
            {EXPIRY_CHOICES.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
          </select>
          {token ? (
            // Generating replaces the bot's token: whatever uses the current one stops working, so ask first.
            <ConfirmButton variant="plain" label="Generate" ariaLabel={generateLabel} question={`Replace the token of ${bot.name}?`}
              consequence="Its current token stops working at once; programs using it need the new one."
              onConfirm={() => onGenerate(expiry)} />
          ) : (
            <button type="button" aria-label={generateLabel} onClick={() => onGenerate(expiry)}>Generate</button>
          )}
        </div>
      </td>
      <td className="actions">
        <div className="stack">
          {token && (
            <ConfirmButton label="Revoke token" ariaLabel={`Revoke token of ${bot.name}`} question={`Revoke the token of ${bot.name}?`}
              consequence="Every program using it is refused from the next request. You can generate a new one afterwards."
              onConfirm={onRevoke} />
          )}
          <ConfirmButton label="Delete" ariaLabel={`Delete ${bot.name}`} question={`Delete the bot ${bot.name}?`}
            consequence="Its token stops working at once. This cannot be undone." onConfirm={onDelete} />
        </div>
      </td>
    </tr>
  );
}
