import { useEffect, useState } from 'react';
import { authApi, type AuthConfig, type User } from '../../api';
import { Alert, errorText } from '../../components';
import { SIGNED_OUT_MESSAGE, signInFailure } from '../../messages';
import { signInReturn, useRouter } from '../../router';
import { PasswordForm } from './password-form';

/**
 * One button per configured provider, the password form when enabled, and plain words for every failure. At
 * /signed-out (after logout, also back from the provider's logout page) it says so first.
 */
export function SignInPage({ onSignedIn, signedOut = false }: { onSignedIn(user: User): void; signedOut?: boolean }) {
  const { search } = useRouter();
  const [config, setConfig] = useState<AuthConfig | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const code = search.get('error');
  // A same-origin path, which every sign-in flow accepts; for a protected app's URL, the server's return bounce.
  const returnTo = signInReturn(search.get('returnTo')).path;

  useEffect(() => {
    document.title = signedOut ? 'Signed out · Gatehouse' : 'Sign in · Gatehouse';
    authApi.config().then(setConfig, (e: unknown) => setLoadError(errorText(e)));
  }, [signedOut]);

  const providers = config?.providers ?? [];
  return (
    <section className="card signin" aria-labelledby="signin-title">
      <h1 id="signin-title">{signedOut ? SIGNED_OUT_MESSAGE : 'Sign in to Gatehouse'}</h1>
      {signedOut && <p className="muted">Sign in again below, or close this window.</p>}
      {code && <Alert kind={code === 'SESSION_EXPIRED' ? 'info' : 'error'}>{signInFailure(code, search.get('check'))}</Alert>}
      {loadError && <Alert kind="error">{loadError}</Alert>}
      {!config && !loadError && <p className="muted" role="status">Loading sign-in options…</p>}
      {providers.length > 0 && (
        <div className="providers">
          {providers.map((p) => (
            <a key={p.id} className="button primary block" href={authApi.providerLoginUrl(p.id, returnTo)}>
              Sign in with {p.displayName}
            </a>
          ))}
        </div>
      )}
      {config?.basicEnabled && (
        <>
          {providers.length > 0 && (
            <div className="divider" role="separator">
              <span>{config.basicAdminsOnly ? 'Administrators only' : 'or with a password'}</span>
            </div>
          )}
          <PasswordForm onSignedIn={onSignedIn} />
        </>
      )}
      {config && <p className="muted small signin-help">Trouble signing in? Ask your Gatehouse administrator.</p>}
      {config && !config.basicEnabled && providers.length === 0 && (
        <Alert kind="error">No way to sign in is configured. Please tell your administrator.</Alert>
      )}
    </section>
  );
}
