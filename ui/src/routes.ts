import { lazy } from 'react';

// Every page after sign-in is its own chunk: the sign-in page loads only React, the shell and the sign-in form.
export const ProfilePage = lazy(() => import('./pages/profile/profile-page'));

/** Administration pages, in navigation order; shown to administrators only. */
export const ADMIN_PAGES = [
  { path: '/admin/users', label: 'Users', Page: lazy(() => import('./pages/admin/users-page')) },
  { path: '/admin/bots', label: 'Bots', Page: lazy(() => import('./pages/admin/bots-page')) },
  { path: '/admin/keys', label: 'Signing keys', Page: lazy(() => import('./pages/admin/keys-page')) },
  { path: '/admin/audit', label: 'Audit log', Page: lazy(() => import('./pages/admin/audit-page')) },
  { path: '/admin/diagnostics', label: 'Diagnostics', Page: lazy(() => import('./pages/admin/diagnostics-page')) },
] as const;
