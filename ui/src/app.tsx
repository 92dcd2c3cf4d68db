import { Suspense, useCallback, useEffect, useState } from 'react';
import { ApiError, authApi, onUnauthorized, type User } from './api';
import { Alert, errorText } from './components';
import { Layout } from './layout';
import { SignInPage } from './pages/sign-in/sign-in-page';
import { ChangePasswordPage } from './pages/sign-in/change-password-page';
import { NotFound } from './pages/not-found';
import { ADMIN_PAGES, FIRST_ADMIN_PAGE, ProfilePage } from './routes';
import { safeReturnPath, signInReturn, useRouter } from './router';

/** Who is signed in, and which page the path shows. undefined = still asking the server. */
export function App() {
  const { path, search, navigate } = useRouter();
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);

  const loadUser = useCallback(async () => {
    try {
      setUser(await authApi.me());
      setError(null);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) setUser(null);
      else setError(errorText(e));
    }
  }, []);
  useEffect(() => void loadUser(), [loadUser]);

  // A signed-in call answered 401: the session expired or was ended elsewhere. Say so, and come back here afterwards.
  useEffect(() => {
    onUnauthorized(() => {
      setUser(null);
      const back = `${window.location.pathname}${window.location.search}`;
      navigate(`/signin?error=SESSION_EXPIRED&returnTo=${encodeURIComponent(safeReturnPath(back))}`, { replace: true });
    });
    return () => onUnauthorized(null);
  }, [navigate]);

  const signedIn = !!user && !user.mustChangePassword;
  const known = isAppPath(path);
  useEffect(() => {
    // An unknown address says so to everyone (below) rather than sending a signed-out visitor to sign in first.
    if (user === null && known && path !== '/signin' && path !== '/signed-out') {
      navigate(`/signin?returnTo=${encodeURIComponent(`${path}${window.location.search}`)}`, { replace: true });
    } else if (signedIn && (path === '/signin' || path === '/signed-out')) {
      const next = signInReturn(search.get('returnTo'));
      // Back to the protected app (another host through the server's bounce, or a page of the upstream behind the
      // built-in proxy): a full page load, which the server answers; Gatehouse's own pages: an in-app navigation.
      if (next.leavesApp) window.location.replace(next.path);
      else navigate(next.path, { replace: true });
    } else if (signedIn && (path === '/' || path === '/admin')) {
      navigate(path === '/' ? '/profile' : FIRST_ADMIN_PAGE, { replace: true });
    }
  }, [user, signedIn, known, path, search, navigate]);

  const signOut = async () => {
    try {
      const { redirectTo } = await authApi.logout();
      // The server's answer: the provider's end-session URL (signs out there too, then comes back) or /signed-out.
      window.location.assign(redirectTo);
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <Layout user={user} onSignOut={() => void signOut()}>
      {error && <Alert kind="error">{error}</Alert>}
      {user === undefined && !error && <p className="muted" role="status">Loading…</p>}
      {user === null && (path === '/signin' || path === '/signed-out') && <SignInPage onSignedIn={setUser} signedOut={path === '/signed-out'} />}
      {user === null && !known && <NotFound signedIn={false} />}
      {user?.mustChangePassword && <ChangePasswordPage onChanged={() => void loadUser()} />}
      {signedIn && <Suspense fallback={<p className="muted" role="status">Loading…</p>}>{page(path, user)}</Suspense>}
    </Layout>
  );
}

function page(path: string, user: User) {
  if (path === '/profile') return <ProfilePage user={user} />;
  const admin = ADMIN_PAGES.find((p) => p.path === path);
  if (admin) {
    if (!user.isAdmin) return <Alert kind="error">This page is for administrators.</Alert>;
    return <admin.Page />;
  }
  if (path === '/' || path === '/signin' || path === '/admin') return null;
  return <NotFound signedIn />;
}

/** The addresses this app has a page (or a redirect) for. */
function isAppPath(path: string): boolean {
  return ['/', '/signin', '/signed-out', '/profile', '/admin'].includes(path) || ADMIN_PAGES.some((p) => p.path === path);
}
