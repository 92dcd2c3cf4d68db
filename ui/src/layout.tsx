import type { ReactNode } from 'react';
import type { User } from './api';
import { ADMIN_PAGES } from './routes';
import { Link } from './router';

interface Props {
  user: User | null | undefined;
  onSignOut(): void;
  children: ReactNode;
}

/** Landmarks: a banner with the product and the account, the main navigation (admin part for admins only), main. */
export function Layout({ user, onSignOut, children }: Props) {
  const signedIn = user && !user.mustChangePassword;
  return (
    <>
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="topbar">
        <a className="brand" href={signedIn ? '/profile' : '/signin'}>
          <svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22" className="brand-mark">
            <path d="M4 21V9l8-6 8 6v12h-5v-6H9v6z" />
          </svg>
          Gatehouse
        </a>
        {user && (
          <div className="account">
            <span className="account-name" title={user.emailDerived ? undefined : user.email}>{user.displayName ?? user.name}</span>
            <button type="button" className="on-dark" onClick={onSignOut}>Sign out</button>
          </div>
        )}
      </header>
      <div className={signedIn ? 'layout' : 'layout layout-narrow'}>
        {signedIn && (
          <nav aria-label="Main" className="sidenav">
            <Link to="/profile">My profile</Link>
            {user.isAdmin && (
              <>
                <span className="nav-heading" aria-hidden="true">Administration</span>
                {ADMIN_PAGES.map((p) => <Link key={p.path} to={p.path}>{p.label}</Link>)}
              </>
            )}
          </nav>
        )}
        <main id="main" tabIndex={-1}>{children}</main>
      </div>
    </>
  );
}
