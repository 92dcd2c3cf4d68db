import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { isLoopbackHost } from '../config/index.js';
import type { DevIdpConfig, DevIdpUser } from './config.js';
import { loggedOutPage, logoutPage } from './pages.js';

export const ISSUER_PATH = '/oidc/2';

/** Claims by scope as OneLogin returns them: bare openid already carries e-mail, user name and name. */
const CLAIMS: Configuration['claims'] = {
  openid: ['sub', 'email', 'preferred_username', 'name'],
  email: ['email', 'email_verified'],
  profile: ['name', 'given_name', 'family_name', 'preferred_username', 'updated_at'],
  groups: ['groups'],
};

export interface AccountDirectory {
  find(sub: string): DevIdpUser | undefined;
  groupsOf(user: DevIdpUser): string[];
}

/** oidc-provider configured with OneLogin's paths, PKCE for public clients, refresh tokens and logout features. */
export function createOidcProvider(issuer: string, config: DevIdpConfig, accounts: AccountDirectory): Provider {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: `devidp-${randomBytes(4).toString('hex')}`, alg: 'RS256', use: 'sig' };
  const configuration: Configuration = {
    clients: config.clients.map((c) => ({
      ...c,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      id_token_signed_response_alg: 'RS256',
      ...(c.backchannel_logout_uri ? { backchannel_logout_session_required: true } : {}),
    })),
    jwks: { keys: [jwk as never] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: CLAIMS,
    scopes: ['openid', 'email', 'profile', 'groups', 'offline_access'],
    // OneLogin puts the scope's claims into the ID token as well as userinfo.
    conformIdTokenClaims: false,
    routes: {
      authorization: '/auth', token: '/token', userinfo: '/me', jwks: '/certs', end_session: '/logout',
      introspection: '/token/introspection', revocation: '/token/revocation',
    },
    features: {
      devInteractions: { enabled: false },
      introspection: { enabled: true },
      revocation: { enabled: true },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: KoaContextWithOIDC, form: string) => {
          ctx.type = 'html';
          ctx.body = logoutPage(form, ctx.host);
        },
        postLogoutSuccessSource: async (ctx: KoaContextWithOIDC) => {
          ctx.type = 'html';
          ctx.body = loggedOutPage();
        },
      },
    },
    pkce: { required: (_ctx, client) => client.clientAuthMethod === 'none' },
    // OneLogin hands out a refresh token on every code exchange, without offline_access.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    ttl: { AccessToken: 3600, AuthorizationCode: 60, IdToken: 3600, RefreshToken: 30 * 86_400, Interaction: 600, Session: 86_400, Grant: 30 * 86_400 },
    interactions: { url: (_ctx, interaction) => `${ISSUER_PATH}/interaction/${interaction.uid}` },
    findAccount: async (_ctx, sub) => {
      const user = accounts.find(sub);
      if (!user) return undefined;
      return {
        accountId: sub,
        claims: async () => ({
          sub, email: user.email, email_verified: true, preferred_username: user.username, name: user.name,
          given_name: user.given_name, family_name: user.family_name, updated_at: 1_767_225_600,
          groups: config.groupsFormat === 'semicolon' ? accounts.groupsOf(user).join(';') : accounts.groupsOf(user),
        }),
      };
    },
    // oidc-provider refuses outgoing requests to special-use addresses (SSRF guard). The dev IdP's back-channel logout
    // targets are the configured clients on this machine, so loopback is allowed; everything else keeps the guard.
    fetch: (input: string | URL | Request, init?: RequestInit) => {
      const url = input instanceof Request ? input.url : input;
      if (!isLoopbackHost(new URL(url).hostname)) return fetch(input, init);
      const { dispatcher: _guard, ...rest } = (init ?? {}) as RequestInit & { dispatcher?: unknown };
      return fetch(input, rest);
    },
    renderError: async (ctx, out) => {
      ctx.type = 'json';
      ctx.body = out;
    },
  };
  const provider = new Provider(issuer, configuration);
  provider.proxy = false;
  return provider;
}
