import { DEFAULTS, type ClientAuthMethod, type ClientType, type OidcProviderConfig } from '../config/index.js';
import { GatehouseError } from '../errors/index.js';
import { ID_TOKEN_ALGORITHMS, isAcceptableEndpoint, isAllowedAlgorithm, LOOPBACK_DESCRIPTION } from '../shared/index.js';

export { isAcceptableEndpoint } from '../shared/index.js';

export type { ClientAuthMethod, ClientType } from '../config/index.js';

/**
 * One OIDC provider as the SSO module needs it: the configuration's provider (one definition, src/config/types.ts), with
 * any asymmetric ID-token algorithm allowed (tests and presets may use more than the configuration offers) and an
 * optional per-provider clock skew.
 */
export type ProviderSettings = Omit<OidcProviderConfig, 'algorithms'> & {
  /** Accepted ID token signature algorithms (default RS256, OneLogin's only one); any of ID_TOKEN_ALGORITHMS (src/shared/algorithms.ts). */
  readonly algorithms: readonly string[];
  /** Per-provider override of the allowed clock difference, in seconds. */
  readonly clockSkewSeconds?: number;
};

const ONELOGIN_PATH = '/oidc/2';

/**
 * OneLogin's issuer from a subdomain ("acme"), a host ("acme.onelogin.com") or an issuer URL with or without /oidc/2.
 * Never appends /oidc/2 twice (a known pitfall elsewhere).
 */
export function oneloginIssuer(value: string): string {
  const input = value.trim().replace(/\/+$/, '');
  let url: URL | undefined;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(input) ? input : `https://${input}`);
  } catch {
    url = undefined;
  }
  const host = url?.hostname.toLowerCase() ?? '';
  const subdomain = host.endsWith('.onelogin.com') ? host.slice(0, -'.onelogin.com'.length) : host;
  const path = url?.pathname.replace(/\/+$/, '') ?? '';
  const clean = url !== undefined && url.protocol === 'https:' && !url.port && !url.search && !url.hash && !url.username;
  if (!clean || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(subdomain) || (path !== '' && path !== ONELOGIN_PATH)) {
    throw new GatehouseError('CONFIG_INVALID', `"${value}" is not a OneLogin subdomain or issuer (expected e.g. "acme" or https://acme.onelogin.com/oidc/2).`);
  }
  return `https://${subdomain}.onelogin.com${ONELOGIN_PATH}`;
}

export interface ProviderInput {
  id?: string;
  displayName?: string;
  authority: string;
  clientId: string;
  callbackUrl: string;
  clientType?: ClientType;
  clientSecret?: string | null;
  clientAuthMethod?: ClientAuthMethod;
  scopes?: readonly string[];
  customParams?: Readonly<Record<string, string>>;
  prompt?: string | null;
  maxAgeSeconds?: number | null;
  algorithms?: readonly string[];
  postLogoutRedirectUri?: string | null;
  groupsClaim?: string;
  groupRoleMapping?: Readonly<Record<string, readonly string[]>>;
  rolesClaim?: string;
  clockSkewSeconds?: number;
}

/** A custom-oidc provider with defaults filled in: public (PKCE) unless a secret is given. */
export function defineProvider(input: ProviderInput): ProviderSettings {
  const clientSecret = input.clientSecret ?? null;
  const clientType = input.clientType ?? (clientSecret ? 'confidential' : 'public');
  return {
    id: input.id ?? 'oidc',
    displayName: input.displayName ?? 'Single sign-on',
    authority: input.authority,
    clientId: input.clientId,
    clientType,
    clientSecret,
    clientAuthMethod: input.clientAuthMethod ?? (clientType === 'confidential' ? 'client_secret_basic' : 'none'),
    callbackUrl: input.callbackUrl,
    scopes: input.scopes ?? ['openid', 'email', 'profile'],
    customParams: input.customParams ?? {},
    prompt: input.prompt ?? null,
    maxAgeSeconds: input.maxAgeSeconds ?? null,
    algorithms: input.algorithms ?? ['RS256'],
    postLogoutRedirectUri: input.postLogoutRedirectUri ?? null,
    groupsClaim: input.groupsClaim ?? DEFAULTS['authentication.oidc.groupsClaim'],
    groupRoleMapping: input.groupRoleMapping ?? {},
    rolesClaim: input.rolesClaim ?? DEFAULTS['authentication.oidc.rolesClaim'],
    ...(input.clockSkewSeconds !== undefined ? { clockSkewSeconds: input.clockSkewSeconds } : {}),
  };
}

/** The `onelogin` preset: only the subdomain (or issuer), the client id and the callback are needed. */
export function oneloginProvider(input: Omit<ProviderInput, 'authority'> & { subdomain?: string; authority?: string }): ProviderSettings {
  const { subdomain, authority, ...rest } = input;
  const source = authority ?? subdomain;
  if (!source) throw new GatehouseError('CONFIG_INVALID', 'The OneLogin preset needs the subdomain (e.g. "acme") or the issuer URL.');
  return defineProvider({ id: 'onelogin', displayName: 'OneLogin', ...rest, authority: oneloginIssuer(source) });
}

/** Every problem with a provider's settings, in words an operator can act on; empty when usable. */
export function providerProblems(p: ProviderSettings, production: boolean): string[] {
  const problems: string[] = [];
  const where = `provider "${p.id}"`;
  if (!isAcceptableEndpoint(p.authority, production)) problems.push(`${where}: the authority must be an https URL (http only for ${LOOPBACK_DESCRIPTION} outside production); got "${p.authority}"`);
  if (!isAcceptableEndpoint(p.callbackUrl, production)) problems.push(`${where}: the callback URL must be https (http only for ${LOOPBACK_DESCRIPTION} outside production)`);
  if (p.postLogoutRedirectUri !== null && !isAcceptableEndpoint(p.postLogoutRedirectUri, production)) problems.push(`${where}: the post-logout redirect URI must be https`);
  if (p.authority.includes(`${ONELOGIN_PATH}${ONELOGIN_PATH}`)) problems.push(`${where}: the authority contains /oidc/2 twice`);
  if (!p.clientId) problems.push(`${where}: the client id is required`);
  if (!p.scopes.includes('openid')) problems.push(`${where}: the scopes must include openid`);
  if (p.algorithms.length === 0 || p.algorithms.some((a) => !isAllowedAlgorithm(ID_TOKEN_ALGORITHMS, a))) problems.push(`${where}: algorithms must be asymmetric signature algorithms such as RS256; got ${p.algorithms.join(',') || '(none)'}`);
  if (p.clientType === 'public' && (p.clientAuthMethod !== 'none' || p.clientSecret)) problems.push(`${where}: a public client uses PKCE with no secret (token endpoint authentication "none")`);
  if (p.clientType === 'confidential' && (p.clientAuthMethod === 'none' || !p.clientSecret)) problems.push(`${where}: a confidential client needs a secret and client_secret_basic or client_secret_post`);
  return problems;
}
