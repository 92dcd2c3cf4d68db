import { useRef, useState, type FormEvent } from 'react';
import { authApi, type User } from '../../api';
import { Alert, errorText } from '../../components';
import { INPUT_LIMITS } from '../../../../src/shared/input-limits';

/** The password (basic) sign-in form; wrong credentials and a lockout get the same answer from the server. */
export function PasswordForm({ onSignedIn }: { onSignedIn(user: User): void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const password = useRef<HTMLInputElement>(null);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const { user } = await authApi.signInWithPassword(String(form.get('username')), String(form.get('password')));
      onSignedIn(user);
    } catch (err) {
      setError(errorText(err));
      // Keep the user name, clear the password, and put the cursor back for the next try.
      if (password.current) {
        password.current.value = '';
        password.current.focus();
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} aria-label="Sign in with a password" noValidate={false}>
      {error && <Alert kind="error">{error}</Alert>}
      <div className="field">
        <label htmlFor="username">User name or e-mail</label>
        <input id="username" name="username" autoComplete="username" autoCapitalize="none" spellCheck={false} required
          maxLength={INPUT_LIMITS.signInName} />
      </div>
      <div className="field">
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required ref={password}
          maxLength={INPUT_LIMITS.password} />
      </div>
      <button type="submit" className="primary block" disabled={busy} aria-busy={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
