import { useEffect, useState, type FormEvent } from 'react';
import { api, type AuthConfig, type User } from '../api';
import { Alert, errorText } from '../components/ui';
import { messageFor } from '../messages';
import { useRouter } from '../router';

/** One button per provider, the password form when enabled, a forced password change, and clear failure messages. */
export function SignIn({ user, onSignedIn }: { user: User | null; onSignedIn(user: User): void }) {
  const { search, navigate } = useRouter();
  const [config, setConfig] = useState<AuthConfig | null>(null);
  const [error, setError] = useState<string | null>(() => (search.get('error') ? messageFor(search.get('error') ?? '') : null));
  const [busy, setBusy] = useState(false);
  const returnTo = search.get('returnTo') ?? '/profile';
  useEffect(() => {
    api.authConfig().then(setConfig, (e: unknown) => setError(errorText(e)));
  }, []);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const { user: signedIn } = await api.basicSignIn(String(form.get('username')), String(form.get('password')));
      onSignedIn(signedIn);
      if (!signedIn.mustChangePassword) navigate(returnTo.startsWith('/') && !returnTo.startsWith('//') ? returnTo : '/profile');
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  if (user?.mustChangePassword) return <ChangePassword onDone={(u) => { onSignedIn(u); navigate('/profile'); }} />;
  return (
    <section className="card signin" aria-labelledby="signin-title">
      <h1 id="signin-title">Sign in to Gatehouse</h1>
      {error && <Alert kind="error">{error}</Alert>}
      {config?.providers.map((p) => (
        <a key={p.id} className="button primary block" href={`/api/v1/auth/login?provider=${encodeURIComponent(p.id)}&redirectUri=${encodeURIComponent(returnTo)}`}>
          Sign in with {p.displayName}
        </a>
      ))}
      {config?.basicEnabled && (
        <form onSubmit={(e) => void submit(e)} aria-label="Password sign-in">
          {config.providers.length > 0 && <p className="muted">{config.basicAdminsOnly ? 'Administrators only (break-glass):' : 'Or with a password:'}</p>}
          <label htmlFor="username">User name or e-mail</label>
          <input id="username" name="username" autoComplete="username" required />
          <label htmlFor="password">Password</label>
          <input id="password" name="password" type="password" autoComplete="current-password" required />
          <button type="submit" className="primary block" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
        </form>
      )}
    </section>
  );
}

function ChangePassword({ onDone }: { onDone(user: User): void }) {
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    try {
      await api.changePassword(String(f.get('old')), String(f.get('new')), String(f.get('confirm')), false);
      onDone(await api.me());
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <section className="card signin" aria-labelledby="cp-title">
      <h1 id="cp-title">Choose a new password</h1>
      <Alert kind="info">Your password was set by someone else (or is the initial one). Choose your own before continuing.</Alert>
      {error && <Alert kind="error">{error}</Alert>}
      <form onSubmit={(e) => void submit(e)}>
        <label htmlFor="old">Current password</label>
        <input id="old" name="old" type="password" autoComplete="current-password" required />
        <label htmlFor="new">New password (at least 8 characters, not a common one)</label>
        <input id="new" name="new" type="password" autoComplete="new-password" required minLength={8} />
        <label htmlFor="confirm">New password again</label>
        <input id="confirm" name="confirm" type="password" autoComplete="new-password" required minLength={8} />
        <button type="submit" className="primary block">Change password</button>
      </form>
    </section>
  );
}
