import { createContext, useCallback, useContext, useEffect, useMemo, useState, type MouseEvent, type ReactNode } from 'react';

/** A tiny history router: a handful of fixed paths need no library (and the sign-in page stays small). */
interface Location {
  path: string;
  search: URLSearchParams;
  navigate(to: string, options?: { replace?: boolean }): void;
}

const RouterContext = createContext<Location | null>(null);

const current = () => ({ path: window.location.pathname, search: window.location.search });

export function Router({ children }: { children: ReactNode }) {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    const onPop = () => setLocation(current());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((to: string, options: { replace?: boolean } = {}) => {
    if (options.replace) window.history.replaceState(null, '', to);
    else window.history.pushState(null, '', to);
    setLocation(current());
    window.scrollTo(0, 0);
  }, []);
  const value = useMemo(
    () => ({ path: location.path, search: new URLSearchParams(location.search), navigate }),
    [location, navigate],
  );
  return <RouterContext.Provider value={value}>{children}</RouterContext.Provider>;
}

export function useRouter(): Location {
  const value = useContext(RouterContext);
  if (!value) throw new Error('useRouter outside <Router>');
  return value;
}

/**
 * A return path we may navigate to after sign-in: same-origin paths only. "//evil.example" and "/\evil.example" are
 * protocol-relative URLs to browsers, so they would turn the sign-in page into an open redirect.
 */
export function safeReturnPath(value: string | null, fallback = '/profile'): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  if (value.startsWith('/signin')) return fallback;
  return value;
}

/**
 * Where sign-in continues: an in-app path, or, for an absolute URL (the gateway sent the browser here from a protected
 * app), the server's return bounce, which lets it leave only for an allow-listed host (gateway.returnHosts).
 */
export function signInReturn(value: string | null): { path: string; leavesApp: boolean } {
  if (value && /^https?:\/\//i.test(value)) return { path: `/api/v1/gateway/return?to=${encodeURIComponent(value)}`, leavesApp: true };
  return { path: safeReturnPath(value), leavesApp: false };
}

/** An in-app link: a real <a href> (open in new tab works), navigated without a page load on a plain click. */
export function Link({ to, children, className }: { to: string; children: ReactNode; className?: string }) {
  const { navigate, path } = useRouter();
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={onClick} className={className} aria-current={path === to ? 'page' : undefined}>
      {children}
    </a>
  );
}
