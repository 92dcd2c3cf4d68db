/**
 * The web UI's administration pages, in navigation order. The server answers exactly these addresses with the app
 * (200) and every other /admin/… address with 404 (the app then shows its "Page not found"); the UI builds its
 * navigation from the same list (ui/src/routes.ts), so the two cannot disagree. This file imports nothing: the UI
 * bundles it as it is.
 */
export const ADMIN_PAGE_PATHS = ['/admin/users', '/admin/bots', '/admin/keys', '/admin/audit', '/admin/diagnostics'] as const;
export type AdminPagePath = (typeof ADMIN_PAGE_PATHS)[number];
