import { lazy, type LazyExoticComponent, type ComponentType } from 'react';
import { ADMIN_PAGE_PATHS, type AdminPagePath } from '../../src/shared/ui-pages';

// Every page after sign-in is its own chunk: the sign-in page loads only React, the shell and the sign-in form.
export const ProfilePage = lazy(() => import('./pages/profile/profile-page'));

// One entry per path the server serves (src/shared/ui-pages.ts): a page missing here, or one the server does not know,
// fails the type check instead of becoming a page the server answers with 404 (or an address the UI cannot show).
const PAGES: Record<AdminPagePath, { label: string; Page: LazyExoticComponent<ComponentType> }> = {
  '/admin/users': { label: 'Users', Page: lazy(() => import('./pages/admin/users-page')) },
  '/admin/bots': { label: 'Bots', Page: lazy(() => import('./pages/admin/bots-page')) },
  '/admin/keys': { label: 'Signing keys', Page: lazy(() => import('./pages/admin/keys-page')) },
  '/admin/audit': { label: 'Audit log', Page: lazy(() => import('./pages/admin/audit-page')) },
  '/admin/diagnostics': { label: 'Diagnostics', Page: lazy(() => import('./pages/admin/diagnostics-page')) },
};

/** Administration pages, in navigation order; shown to administrators only. */
export const ADMIN_PAGES = ADMIN_PAGE_PATHS.map((path) => ({ path, ...PAGES[path] }));

/** Where /admin leads. */
export const FIRST_ADMIN_PAGE: AdminPagePath = ADMIN_PAGE_PATHS[0];
