import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { api, ApiError, type User } from './api';
import { Alert, errorText } from './components/ui';
import { Link, useRouter } from './router';
import { SignIn } from './pages/SignIn';
import { Profile } from './pages/Profile';

// Admin pages load only for administrators who open them: the sign-in page stays small.
const Users = lazy(() => import('./pages/admin/Users'));
const Bots = lazy(() => import('./pages/admin/Bots'));
const Keys = lazy(() => import('./pages/admin/Keys'));
const Audit = lazy(() => import('./pages/admin/Audit'));
const Diagnostics = lazy(() => import('./pages/admin/Diagnostics'));

const ADMIN_PAGES = [
  ['/admin/users', 'Users', Users],
  ['/admin/bots', 'Bots', Bots],
  ['/admin/keys', 'Signing keys', Keys],
  ['/admin/audit', 'Audit log', Audit],
  ['/admin/diagnostics', 'Diagnostics', Diagnostics],
] as const;

export function App() {
  const { path, navigate } = useRouter();
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setUser(await api.me());
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.code === 'AUTH_REQUIRED')) setUser(null);
      else setError(errorText(e));
    }
  }, []);
  useEffect(() => void load(), [load]);

  useEffect(() => {
    if (user === null && path !== '/signin') navigate(`/signin?returnTo=${encodeURIComponent(path)}`);
    if (user && !user.mustChangePassword && (path === '/' || path === '/signin')) navigate('/profile');
  }, [user, path, navigate]);

  const logout = async () => {
    try {
      const { redirectTo } = await api.logout();
      window.location.assign(redirectTo);
    } catch (e) {
      setError(errorText(e));
    }
  };

  const adminPage = ADMIN_PAGES.find(([p]) => p === path);
  return (
    <>
      <a className="skip" href="#main">Skip to content</a>
      <header className="topbar">
        <span className="brand">Gatehouse</span>
        {user && (
          <div className="who">
            <span>{user.displayName ?? user.name}</span>
            <button type="button" onClick={() => void logout()}>Sign out</button>
          </div>
        )}
      </header>
      <div className="layout">
        {user && !user.mustChangePassword && (
          <nav aria-label="Main">
            <Link to="/profile">Profile</Link>
            {user.isAdmin && ADMIN_PAGES.map(([p, label]) => <Link key={p} to={p}>{label}</Link>)}
          </nav>
        )}
        <main id="main" tabIndex={-1}>
          {error && <Alert kind="error">{error}</Alert>}
          {user === undefined && <p>Loading…</p>}
          {(user === null || user?.mustChangePassword || path === '/signin') && user !== undefined && (
            <SignIn user={user} onSignedIn={(u) => setUser(u)} />
          )}
          {user && !user.mustChangePassword && path === '/profile' && <Profile user={user} />}
          {user && !user.mustChangePassword && adminPage && (
            user.isAdmin ? (
              <Suspense fallback={<p>Loading…</p>}>{(() => { const Page = adminPage[2]; return <Page />; })()}</Suspense>
            ) : <Alert kind="error">This page is for administrators.</Alert>
          )}
        </main>
      </div>
    </>
  );
}
