import { EXTERNAL_TOKEN_ALGORITHMS } from '../shared/index.js';
import { asInt, asJsonObject, asList, asString, asUrl, oneOf, Problems } from './coerce.js';
import type { RawSource, RawValue } from './raw-source.js';
import { DEFAULTS } from './settings.js';
import type { ClientAuthMethod, ClientType, OidcProviderConfig, TokenAlgorithm } from './types.js';

const ONELOGIN_SUFFIX = '/oidc/2';
const CLIENT_TYPES = ['public', 'confidential'] as const;
const AUTH_METHODS = ['none', 'client_secret_basic', 'client_secret_post'] as const;

/** Reads one provider's fields; `get(field)` yields the raw value of that field wherever it came from. */
function readProvider(
  get: (field: string) => RawValue | undefined,
  label: (field: string) => string,
  defaults: { id: string; type: string; publicUrl: string; algorithm: TokenAlgorithm; production: boolean },
  problems: Problems,
): OidcProviderConfig | undefined {
  const before = problems.list.length;
  const urlRule = { httpsRequired: defaults.production };
  const id = asString(get('id'), problems) ?? defaults.id;
  if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(id)) problems.add(`${label('id')} must be lower-case letters, digits and dashes; got "${id}"`);

  let authority = asUrl(get('authority'), problems, urlRule);
  const subdomain = asString(get('oneloginSubdomain') ?? get('subdomain'), problems);
  if (defaults.type === 'onelogin' && !authority) {
    if (subdomain && /^[a-z0-9][a-z0-9-]*$/i.test(subdomain)) authority = `https://${subdomain}.onelogin.com${ONELOGIN_SUFFIX}`;
    else if (subdomain) problems.add(`${label('oneloginSubdomain')} must be the OneLogin subdomain only (e.g. "acme"); got "${subdomain}"`);
  }
  if (!authority && get('authority') === undefined) problems.add(`${label('authority')} is required for single sign-on (OneLogin: https://<subdomain>.onelogin.com/oidc/2)`);
  // A common mistake elsewhere: appending /oidc/2 twice. We keep the issuer exactly as given, but catch the doubled form.
  if (authority?.includes(`${ONELOGIN_SUFFIX}${ONELOGIN_SUFFIX}`)) {
    problems.add(`${label('authority')} contains /oidc/2 twice; use https://<subdomain>.onelogin.com/oidc/2`);
  }
  const discovery = asUrl(get('discoveryUri'), problems, urlRule);
  if (discovery && authority && !discovery.startsWith(authority)) {
    problems.add(`${label('discoveryUri')} must be under the authority ${authority}; got "${discovery}"`);
  }

  const clientId = asString(get('clientId'), problems);
  if (!clientId) problems.add(`${label('clientId')} is required for single sign-on (OneLogin: Client ID on the app's SSO tab)`);
  const clientSecret = asString(get('clientSecret'), problems) ?? null;
  const clientType: ClientType =
    oneOf(get('clientType'), problems, CLIENT_TYPES) ?? (clientSecret ? 'confidential' : 'public');
  const method: ClientAuthMethod =
    oneOf(get('clientAuthMethod'), problems, AUTH_METHODS) ??
    (clientType === 'confidential' ? 'client_secret_basic' : 'none');
  if (clientType === 'confidential' && !clientSecret) {
    problems.add(`${label('clientSecret')} is required when ${label('clientType')} is confidential (or use public with PKCE)`);
  }
  if (clientType === 'confidential' && method === 'none') {
    problems.add(`${label('clientAuthMethod')} must be client_secret_basic or client_secret_post for a confidential client`);
  }
  if (clientType === 'public' && method !== 'none') {
    problems.add(`${label('clientAuthMethod')} must be none for a public client (OneLogin "None (PKCE)"); got ${method}`);
  }
  if (clientType === 'public' && clientSecret) {
    problems.add(`${label('clientSecret')} is set but ${label('clientType')} is public; set the type to confidential or remove the secret (OneLogin refuses credentials sent both ways)`);
  }

  const callbackUrl = asUrl(get('callbackUrl'), problems, urlRule) ?? `${defaults.publicUrl}/callback`;
  // Gatehouse answers the provider only at <public URL>/callback, where the browser sends the sign-in cookie (bound to
  // the public URL); a callback anywhere else would fail every sign-in after the provider's login page.
  if (get('callbackUrl') !== undefined && callbackUrl !== `${defaults.publicUrl}/callback`) {
    problems.add(`${label('callbackUrl')} must be ${defaults.publicUrl}/callback (under the public URL, GATEHOUSE_PUBLIC_URL, where Gatehouse receives the provider's answer); got "${callbackUrl}"`);
  }
  const postLogout = asUrl(get('postLogoutRedirectUri'), problems, urlRule) ?? `${defaults.publicUrl}/signin`;
  const scopeRaw = get('scopes');
  const scopes = Array.isArray(scopeRaw?.value)
    ? (asList(scopeRaw, problems) ?? [])
    : (asString(scopeRaw, problems) ?? DEFAULTS['authentication.oidc.scopes']).split(/\s+/).filter(Boolean);
  if (!scopes.includes('openid')) problems.add(`${label('scopes')} must include openid; got "${scopes.join(' ')}"`);

  const customParams = stringRecord(asJsonObject(get('customParams'), problems) ?? {}, label('customParams'), problems);
  const mappingRaw = asJsonObject(get('groupRoleMapping'), problems) ?? {};
  const groupRoleMapping: Record<string, string[]> = {};
  for (const [group, roles] of Object.entries(mappingRaw)) {
    const list = typeof roles === 'string' ? [roles] : roles;
    if (!Array.isArray(list) || !list.every((r) => typeof r === 'string' && r.length > 0)) {
      problems.add(`${label('groupRoleMapping')}: group "${group}" must map to a role name or a list of role names`);
      continue;
    }
    groupRoleMapping[group] = list;
  }
  const algorithm = oneOf(get('algorithm'), problems, EXTERNAL_TOKEN_ALGORITHMS) ?? defaults.algorithm;

  if (problems.list.length > before || !authority || !clientId) return undefined;
  return {
    id,
    displayName: asString(get('displayName'), problems) ?? (defaults.type === 'onelogin' ? 'OneLogin' : 'Single sign-on'),
    authority,
    clientId,
    clientType,
    clientSecret,
    clientAuthMethod: method,
    callbackUrl,
    scopes,
    customParams,
    prompt: asString(get('prompt'), problems) ?? null,
    maxAgeSeconds: asInt(get('maxAgeSeconds'), problems, 0, 31_536_000) ?? null,
    algorithms: [algorithm],
    postLogoutRedirectUri: postLogout,
    groupsClaim: asString(get('groupsClaim'), problems) ?? DEFAULTS['authentication.oidc.groupsClaim'],
    groupRoleMapping,
    rolesClaim: asString(get('rolesClaim'), problems) ?? DEFAULTS['authentication.oidc.rolesClaim'],
  };
}

function stringRecord(obj: Record<string, unknown>, where: string, problems: Problems): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v === 'string') out[k] = v;
    else problems.add(`${where}: "${k}" must be text`);
  }
  return out;
}

/**
 * Providers come from `authentication.providers` in YAML (several, each with its own button), or one provider from the
 * OpenMetadata-style environment (AUTHENTICATION_AUTHORITY, AUTHENTICATION_CLIENT_ID, ...) when the provider is not basic.
 */
export function readProviders(
  raw: RawSource,
  provider: string,
  defaults: { publicUrl: string; algorithm: TokenAlgorithm; production: boolean },
  problems: Problems,
): OidcProviderConfig[] {
  const result: OidcProviderConfig[] = [];
  const yamlList = raw.yamlValue('authentication.providers');
  if (yamlList !== undefined && !Array.isArray(yamlList)) {
    problems.add(`authentication.providers in ${raw.fileLabel} must be a list of providers`);
  }
  if (provider !== 'basic') {
    const envProvider = readProvider(
      (field) => raw.get(`authentication.oidc.${field}`),
      (field) => raw.label(`authentication.oidc.${field}`),
      { ...defaults, id: provider === 'custom-oidc' ? 'oidc' : provider, type: provider },
      problems,
    );
    if (envProvider) result.push(envProvider);
  }
  if (Array.isArray(yamlList)) {
    yamlList.forEach((entry: unknown, index) => {
      const where = `authentication.providers[${index}]`;
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
        problems.add(`${where} in ${raw.fileLabel} must be an object`);
        return;
      }
      const record = entry as Record<string, unknown>;
      const type = typeof record['type'] === 'string' ? record['type'] : 'oidc';
      const p = readProvider(
        (field) => (record[field] === undefined ? undefined : { value: record[field], source: `${where}.${field} in ${raw.fileLabel}` }),
        (field) => `${where}.${field} in ${raw.fileLabel}`,
        { ...defaults, id: type === 'onelogin' ? 'onelogin' : `oidc-${index + 1}`, type },
        problems,
      );
      if (p) result.push(p);
    });
  }
  const seen = new Set<string>();
  for (const p of result) {
    if (seen.has(p.id)) problems.add(`Two providers have the id "${p.id}"; give each provider in authentication.providers its own id`);
    seen.add(p.id);
  }
  return result;
}
