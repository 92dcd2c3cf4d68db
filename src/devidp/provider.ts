import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider, { interactionPolicy, type ClientMetadata, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { isLoopbackHost } from '../shared/index.js';
import type { AccountDirectory } from './accounts.js';
import { holdClientsToTheirAuthMethod } from './client-auth.js';
import type { DevIdpClient, DevIdpConfig } from './config-types.js';
import type { MemoryStorage } from './memory-adapter.js';
import { errorPage, loggedOutPage, logoutPage, PAGE_HEADERS } from './pages.js';

/** OneLogin's issuer path (https://<subdomain>.onelogin.com/oidc/2); every endpoint sits under it. */
export const ISSUER_PATH = '/oidc/2';
/** Where oidc-provider sends the browser for the login form (served by interactions.ts, not by oidc-provider). */
export const INTERACTION_PATH = `${ISSUER_PATH}/interaction`;

/**
 * Claims by scope as OneLogin returns them: a bare `openid` already carries e-mail, user name and name; `profile`
 * adds the name parts; `groups` only when that scope is asked for.
 */
const CLAIMS: Configuration['claims'] = {
  openid: ['sub', 'email', 'preferred_username', 'name'],
  email: ['email', 'email_verified'],
  profile: ['name', 'given_name', 'family_name', 'preferred_username', 'updated_at'],
  groups: ['groups'],
};

/** OneLogin's acr value that forces the user to enter the password again, even with a live IdP session. */
export const REAUTH_ACR = 'onelogin:nist:level:1:re-auth';

/** oidc-provider's login/consent policy plus two reasons to show the login form again. */
function interactionChecks(): interactionPolicy.DefaultPolicy {
  const { Check } = interactionPolicy;
  const policy = interactionPolicy.base();
  const login = policy.get('login');
  // A live IdP session whose user was removed (disableUser) must sign in again; oidc-provider would fail later on.
  login?.checks.add(new Check('account_removed', 'The signed-in user no longer exists', 'login_required', (ctx) =>
    ctx.oidc.session?.accountId !== undefined && ctx.oidc.account === undefined ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT));
  login?.checks.add(new Check('re_auth', 'Re-authentication was requested', 'login_required', (ctx) => {
    const acr = ctx.oidc.params?.['acr_values'];
    const asked = typeof acr === 'string' && acr.split(' ').includes(REAUTH_ACR);
    return asked && !ctx.oidc.result?.['login'] ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT;
  }));
  return policy;
}

/** A fixed "last updated" time (2026-01-01): the demo users never change in a way an RP should key on. */
const UPDATED_AT = 1_767_225_600;

function clientMetadata(c: DevIdpClient): ClientMetadata {
  return {
    client_id: c.client_id,
    ...(c.client_secret !== undefined ? { client_secret: c.client_secret } : {}),
    token_endpoint_auth_method: c.token_endpoint_auth_method,
    redirect_uris: [...c.redirect_uris],
    post_logout_redirect_uris: [...c.post_logout_redirect_uris],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    id_token_signed_response_alg: 'RS256',
    ...(c.backchannel_logout_uri !== undefined
      ? { backchannel_logout_uri: c.backchannel_logout_uri, backchannel_logout_session_required: c.backchannel_logout_session_required }
      : {}),
  };
}

/**
 * oidc-provider refuses outgoing requests to special-use addresses (an SSRF guard) by passing its own dispatcher.
 * The dev IdP's only outgoing requests are back-channel logout tokens to the configured clients, which live on this
 * machine, so loopback targets (by name, never by DNS answer) go without the guard; every other target keeps it.
 */
function loopbackAwareFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const url = input instanceof Request ? input.url : input;
  if (!isLoopbackHost(new URL(url).hostname)) return fetch(input, init);
  const { dispatcher: _guard, ...rest } = (init ?? {}) as RequestInit & { dispatcher?: unknown };
  return fetch(input, rest);
}

function ownerActive(accounts: AccountDirectory, token: object): boolean {
  const accountId = 'accountId' in token && typeof token.accountId === 'string' ? token.accountId : undefined;
  return accountId === undefined || accounts.find(accountId) !== undefined;
}

function htmlPage(ctx: KoaContextWithOIDC, status: number, body: string): void {
  ctx.status = status;
  ctx.set(PAGE_HEADERS);
  ctx.body = body;
}

/** What the provider needs: its issuer URL, the configuration, the users and this instance's storage. */
export interface ProviderDeps {
  issuer: string;
  config: DevIdpConfig;
  accounts: AccountDirectory;
  storage: MemoryStorage;
}

/** oidc-provider configured as OneLogin behaves: its paths, RS256, PKCE for public clients, refresh tokens, logout. */
export function createOidcProvider({ issuer, config, accounts, storage }: ProviderDeps): Provider {
  // Fresh keys at every start: nothing signed by a previous run (or by another developer's IdP) is ever accepted.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: `devidp-${randomBytes(6).toString('hex')}`, alg: 'RS256', use: 'sig' };
  const configuration: Configuration = {
    adapter: storage.adapter,
    clients: config.clients.map(clientMetadata),
    jwks: { keys: [jwk as never] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: CLAIMS,
    scopes: ['openid', 'email', 'profile', 'groups', 'offline_access'],
    // OneLogin puts the scope's claims into the ID token as well as userinfo.
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    clientAuthMethods: ['none', 'client_secret_basic', 'client_secret_post'],
    enabledJWA: { idTokenSigningAlgValues: ['RS256'], userinfoSigningAlgValues: ['RS256'], introspectionSigningAlgValues: ['RS256'] },
    // OneLogin (and OIDC) want redirect_uri on every authorization request; do not guess it for single-URI clients.
    allowOmittingSingleRegisteredRedirectUri: false,
    routes: {
      authorization: '/auth', token: '/token', userinfo: '/me', jwks: '/certs', end_session: '/logout',
      introspection: '/token/introspection', revocation: '/token/revocation',
    },
    features: {
      devInteractions: { enabled: false },
      // OneLogin has neither: an RP that relied on them here would fail against the real thing.
      pushedAuthorizationRequests: { enabled: false },
      dPoP: { enabled: false },
      // Each client (OneLogin app) sees and revokes only its own tokens; a removed user's tokens read as inactive.
      introspection: {
        enabled: true,
        allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId && ownerActive(accounts, token),
      },
      revocation: { enabled: true, allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => htmlPage(ctx, 200, logoutPage(form, ctx.host)),
        postLogoutSuccessSource: async (ctx) => htmlPage(ctx, 200, loggedOutPage()),
      },
    },
    // As OneLogin's "None (PKCE)" apps: S256 is required for public clients (v9 supports only S256).
    pkce: { required: (_ctx, client) => client.clientAuthMethod === 'none' },
    // OneLogin hands out a refresh token on every code exchange, without offline_access or a consent prompt.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    ttl: { AccessToken: 3600, AuthorizationCode: 60, IdToken: 3600, RefreshToken: 30 * 86_400, Interaction: 600, Session: 86_400, Grant: 30 * 86_400 },
    interactions: { policy: interactionChecks(), url: (_ctx, interaction) => `${INTERACTION_PATH}/${interaction.uid}` },
    acrValues: [REAUTH_ACR],
    // Browser-side RPs may call the token and userinfo endpoints only from the origins of their own redirect URIs.
    clientBasedCORS: (_ctx, origin, client) => origin !== 'null' && (client.redirectUris ?? []).some((uri) => new URL(uri).origin === origin),
    findAccount: async (_ctx, sub) => {
      // A removed user has no account: userinfo and refresh then fail, as after deleting a user in OneLogin.
      const user = accounts.find(sub);
      if (!user) return undefined;
      return {
        accountId: sub,
        claims: async (use) => {
          const groups = accounts.groupsOf(sub);
          return {
            sub, email: user.email, email_verified: true, preferred_username: user.preferred_username, name: user.name,
            given_name: user.given_name, family_name: user.family_name,
            // OneLogin's v2 userinfo gives updated_at in milliseconds (seconds in the ID token); RPs must cope.
            updated_at: use === 'userinfo' ? UPDATED_AT * 1000 : UPDATED_AT,
            groups: config.groupsFormat === 'semicolon' ? groups.join(';') : [...groups],
          };
        },
      };
    },
    fetch: loopbackAwareFetch,
    renderError: async (ctx, out) => {
      htmlPage(ctx, ctx.status >= 400 ? ctx.status : 400, errorPage(out.error, out.error_description));
    },
  };
  const provider = new Provider(issuer, configuration);
  // Listens on loopback itself; X-Forwarded-* headers from a client must not change what the IdP believes its URL is.
  provider.proxy = false;
  holdClientsToTheirAuthMethod(provider);
  return provider;
}
