import { useEffect, useState, type FormEvent } from 'react';
import { authApi } from '../../api';
import { Alert, errorText } from '../../components';
import { INPUT_LIMITS } from '../../../../src/shared/input-limits';

/** Shown instead of every page while the password is an initial or administrator-set one. */
export function ChangePasswordPage({ onChanged }: { onChanged(): void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The server's rule (login.minPasswordLength), from its public configuration; until it arrives (or if it cannot be
  // read) the form states no length and the server's own refusal says it in words.
  const [minLength, setMinLength] = useState<number | undefined>(undefined);
  useEffect(() => {
    document.title = 'Choose a new password · Gatehouse';
    authApi.config().then((c) => setMinLength(c.passwordMinLength), () => setMinLength(undefined));
  }, []);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const newPassword = String(f.get('new'));
    if (newPassword !== String(f.get('confirm'))) {
      setError('The two new passwords differ.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await authApi.changePassword({
        oldPassword: String(f.get('old')),
        newPassword,
        confirmPassword: String(f.get('confirm')),
        endOtherSessions: f.get('endOthers') === 'on',
      });
      onChanged();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card signin" aria-labelledby="cp-title">
      <h1 id="cp-title">Choose a new password</h1>
      <Alert kind="info">Your password was set by an administrator (or is the initial one). Choose your own to continue.</Alert>
      {error && <Alert kind="error">{error}</Alert>}
      <form onSubmit={(e) => void submit(e)} aria-label="Change password">
        <div className="field">
          <label htmlFor="old">Current password</label>
          <input id="old" name="old" type="password" autoComplete="current-password" required maxLength={INPUT_LIMITS.password} />
        </div>
        <div className="field">
          <label htmlFor="new">New password</label>
          <input id="new" name="new" type="password" autoComplete="new-password" required minLength={minLength} maxLength={INPUT_LIMITS.password}
            aria-describedby="new-hint" />
          <p id="new-hint" className="hint">
            {minLength === undefined ? 'Not' : `At least ${minLength} characters and not`} a commonly used password. A short sentence works well.
          </p>
        </div>
        <div className="field">
          <label htmlFor="confirm">New password again</label>
          <input id="confirm" name="confirm" type="password" autoComplete="new-password" required minLength={minLength} maxLength={INPUT_LIMITS.password} />
        </div>
        <label className="check">
          <input type="checkbox" name="endOthers" defaultChecked /> Sign out my other sessions
        </label>
        <button type="submit" className="primary block" disabled={busy}>{busy ? 'Saving…' : 'Change password'}</button>
      </form>
    </section>
  );
}
