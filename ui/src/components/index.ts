export { Alert, errorText } from './alert';
export type { Notice } from './alert';
export { ConfirmButton } from './confirm-button';
export { browserName, EXPIRY_CHOICES, isExpiry, roleSource, scopeText, when } from './format';
export { Modal } from './modal';
export { PageHeader } from './page-header';
export { ShowOnce } from './show-once';
export { TableHead } from './table-head';
export { usePageData } from './use-page-data';
