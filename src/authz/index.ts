export { PERMISSIONS, isPermission } from './permissions.js';
export type { Permission } from './permissions.js';
export type { AuthMethod, Principal } from './principal.js';
export { can } from './can.js';
export { BASE_USER_PERMISSIONS, DEFAULT_ROLES } from './default-roles.js';
export { createPrincipalLoader } from './principal-loader.js';
export type { PrincipalLoader } from './principal-loader.js';
export { derivePrincipal, isDomainAllowed } from './principal-name.js';
export type { PrincipalNameRules } from './principal-name.js';
