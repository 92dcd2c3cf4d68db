import { createContext, useContext, useEffect, useState, type MouseEvent, type ReactNode } from 'react';

/** A tiny history router: the few pages need no library. */
const PathContext = createContext<{ path: string; search: URLSearchParams; navigate(to: string): void }>({
  path: '/', search: new URLSearchParams(), navigate: () => {},
});

export function Router({ children }: { children: ReactNode }) {
  const [location, setLocation] = useState(() => ({ path: window.location.pathname, search: window.location.search }));
  useEffect(() => {
    const onPop = () => setLocation({ path: window.location.pathname, search: window.location.search });
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = (to: string) => {
    window.history.pushState(null, '', to);
    const url = new URL(to, window.location.origin);
    setLocation({ path: url.pathname, search: url.search });
    window.scrollTo(0, 0);
  };
  return <PathContext.Provider value={{ path: location.path, search: new URLSearchParams(location.search), navigate }}>{children}</PathContext.Provider>;
}

export const useRouter = () => useContext(PathContext);

export function Link({ to, children, className }: { to: string; children: ReactNode; className?: string }) {
  const { navigate, path } = useRouter();
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={onClick} className={className} aria-current={path === to ? 'page' : undefined}>{children}</a>;
}
