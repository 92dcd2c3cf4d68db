import { loadDevIdpConfig, startDevIdp, type DevIdpConfig, type RunningDevIdp } from '../../src/devidp/index.js';
import { BrowserAgent, formAction } from './browser-agent.js';
import { startTestApp, type TestApp } from './test-app.js';
import { freePort } from './free-port.js';

export const USERS = {
  alice: { sub: '100001', password: 'alice-demo-password' },
  bob: { sub: '100002', password: 'bob-demo-password' },
  carol: { sub: '100003', password: 'carol-demo-password' },
};


export interface SsoStack {
  idp: RunningDevIdp;
  t: TestApp;
  base: string;
  agent(): BrowserAgent;
  /** Full browser sign-in through the IdP's login form; returns the final response after the callback. */
  signIn(agent: BrowserAgent, user: keyof typeof USERS, options?: { returnTo?: string; password?: string }): Promise<{ response: Response; url: string }>;
  close(): Promise<void>;
}

/** The development IdP and a listening Gatehouse configured for it (public PKCE client unless told otherwise). */
export async function startSsoStack(options: { confidential?: 'client_secret_basic' | 'client_secret_post'; env?: Record<string, string> | ((issuer: string) => Record<string, string>); groupsFormat?: 'array' | 'semicolon' } = {}): Promise<SsoStack> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const clientId = options.confidential ? 'gh-confidential' : 'gh-public';
  const idpConfig: DevIdpConfig = loadDevIdpConfig({
    port: 0,
    groupsFormat: options.groupsFormat ?? 'array',
    clients: [
      options.confidential
        ? { client_id: clientId, client_secret: 'e2e-secret', token_endpoint_auth_method: options.confidential, redirect_uris: [`${base}/callback`], post_logout_redirect_uris: [`${base}/signin`], backchannel_logout_uri: `${base}/api/v1/auth/backchannel-logout` }
        : { client_id: clientId, token_endpoint_auth_method: 'none', redirect_uris: [`${base}/callback`], post_logout_redirect_uris: [`${base}/signin`], backchannel_logout_uri: `${base}/api/v1/auth/backchannel-logout` },
    ],
    users: [
      { sub: USERS.alice.sub, username: 'alice', email: 'alice@example.com', name: 'Alice Adams', groups: ['data-stewards', 'gatehouse-admins'], password: USERS.alice.password },
      { sub: USERS.bob.sub, username: 'bob', email: 'bob@example.com', name: 'Bob Brown', groups: ['data-consumers'], password: USERS.bob.password },
      { sub: USERS.carol.sub, username: 'carol', email: 'carol@partner.io', name: 'Carol Chen', groups: [], password: USERS.carol.password },
    ],
  });
  const idp = await startDevIdp({ config: idpConfig, port: 0 });
  const t = await startTestApp({
    AUTHENTICATION_PROVIDER: 'custom-oidc',
    CUSTOM_OIDC_AUTHENTICATION_PROVIDER_NAME: 'OneLogin',
    AUTHENTICATION_AUTHORITY: idp.issuer,
    AUTHENTICATION_CLIENT_ID: clientId,
    AUTHENTICATION_CALLBACK_URL: `${base}/callback`,
    OIDC_SCOPE: 'openid email profile groups',
    GATEHOUSE_GROUP_ROLE_MAPPING: JSON.stringify({ 'data-stewards': ['DataSteward'], 'data-consumers': 'DataConsumer' }),
    AUTHORIZER_ADMIN_PRINCIPALS: '[alice]',
    GATEHOUSE_BASIC_AUTH_ENABLED: 'false',
    ...(options.confidential ? { AUTHENTICATION_CLIENT_TYPE: 'confidential', OIDC_CLIENT_SECRET: 'e2e-secret', OIDC_CLIENT_AUTH_METHOD: options.confidential } : {}),
    ...(typeof options.env === 'function' ? options.env(idp.issuer) : (options.env ?? {})),
  });
  // ID tokens carry real times; the app's clock starts at the real time and tests move it forward when needed.
  t.clock.set(Date.now());
  await t.app.listen({ host: '127.0.0.1', port });
  return {
    idp, t, base,
    agent: () => new BrowserAgent({ 'user-agent': 'gatehouse-e2e' }),
    async signIn(agent, user, opts = {}) {
      const start = await agent.follow(`${base}/api/v1/auth/login?redirectUri=${encodeURIComponent(opts.returnTo ?? '/profile')}`);
      if (start.response.status !== 200) throw new Error(`expected the IdP login page, got ${start.response.status} at ${start.url}`);
      const html = await start.response.text();
      return agent.follow(formAction(html, start.url), { form: { username: user, password: opts.password ?? USERS[user].password } });
    },
    async close() {
      await t.close();
      await idp.close();
    },
  };
}
