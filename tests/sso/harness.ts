import { randomBytes } from 'node:crypto';
import { GatehouseError } from '../../src/errors/index.js';
import { frozenClock, silentLogger } from '../../src/shared/index.js';
import { createAuditLog } from '../../src/audit/index.js';
import { createSessionService, createSignInStep, type SessionPolicy } from '../../src/sessions/index.js';
import { createProviderRegistry, createSsoService, defineProvider, type CompletedSignIn, type ProviderSettings, type RefreshedIdentity } from '../../src/sso/index.js';
import { createAuditStore, createUserStore, type Engine } from '../../src/storage/index.js';
import { createLogoutTokenReplayStore, createOidcTransactionStore } from '../../src/storage/stores/oidc-transaction-store.js';
import { createSessionStore } from '../../src/storage/stores/session-store.js';
import { freshDatabase } from '../support/databases.js';
import { startHostileIdp, type HostileIdpOptions } from '../support/hostile-idp.js';

export const CLIENT_ID = 'gatehouse-test-client';
export const CLIENT_SECRET = 'confidential-secret-with-symbols:+/';
export const CALLBACK = 'http://127.0.0.1:8585/callback';

export interface HarnessOptions {
  authMethod?: HostileIdpOptions['authMethod'];
  engine?: Engine;
  policy?: Partial<SessionPolicy>;
  provider?: Partial<ProviderSettings>;
}

/** A hostile (or well-behaved) provider, a fresh database and the whole SSO service, with a clock near real time. */
export async function startHarness(options: HarnessOptions = {}) {
  const clock = frozenClock(Date.now());
  const authMethod = options.authMethod ?? 'none';
  const confidential = authMethod !== 'none';
  const idp = await startHostileIdp({ clientId: CLIENT_ID, authMethod, now: () => clock.now(), ...(confidential ? { clientSecret: CLIENT_SECRET } : {}) });
  const db = await freshDatabase(options.engine ?? 'sqlite');
  const provider = {
    ...defineProvider({
      id: 'onelogin', displayName: 'OneLogin', authority: idp.issuer, clientId: CLIENT_ID, callbackUrl: CALLBACK,
      clientType: confidential ? 'confidential' : 'public', clientSecret: confidential ? CLIENT_SECRET : null, clientAuthMethod: authMethod,
      scopes: ['openid', 'email', 'profile', 'groups'], postLogoutRedirectUri: 'http://127.0.0.1:8585/signin',
    }),
    ...options.provider,
  };
  const registry = createProviderRegistry({ providers: [provider], production: false, clock, logger: silentLogger, clockSkewSeconds: 30 });
  const users = createUserStore(db.db);
  const sessionStore = createSessionStore(db.db);
  const transactions = createOidcTransactionStore(db.db);
  const sessions = createSessionService({
    store: sessionStore, clock, encryptionKey: randomBytes(32),
    policy: { absoluteSeconds: 86_400, idleSeconds: 3600, maxPerUser: 0, ...options.policy },
  });
  const signIns = createSignInStep({ sessions, audit: createAuditLog({ store: createAuditStore(db.db), clock, logger: silentLogger }), publicUrl: 'http://127.0.0.1:8585' });
  const provisioned: CompletedSignIn[] = [];
  const resynced: RefreshedIdentity[] = [];
  const disabled = new Set<string>();
  const endedEvents: { sessionId: string; userId: string; reason: string }[] = [];
  const sso = createSsoService({
    registry, transactions, logoutReplay: createLogoutTokenReplayStore(db.db), sessions, signIns, clock, logger: silentLogger,
    async provisionUser(identity) {
      provisioned.push(identity);
      const id = `u-${identity.subject}`;
      if (!(await users.findById(id))) {
        await users.insert({
          id, name: identity.subject, email: null, display_name: null, is_admin: 0, is_bot: 0, disabled: 0, password_hash: null,
          must_change_password: 0, is_bootstrap: 0, created_at: clock.now(), updated_at: clock.now(),
        });
      }
      return { userId: id, name: identity.subject };
    },
    async resyncUser(userId, identity) {
      resynced.push(identity);
      if (disabled.has(userId)) throw new GatehouseError('USER_DISABLED');
    },
    onSessionEnded: (event) => {
      endedEvents.push(event);
    },
  });

  /** Starts a sign-in and plays the browser at the provider; returns the transaction and the callback URL. */
  async function authorize(returnTo = '/profile', clientKey = '192.0.2.10') {
    const started = await sso.startSignIn({ providerId: 'onelogin', returnTo, clientKey });
    const callbackUrl = await idp.authorize(started.authorizationUrl);
    return { started, callbackUrl };
  }

  return {
    clock, idp, db, registry, sessions, sessionStore, transactions, sso, provider, provisioned, resynced, disabled, endedEvents, authorize,
    async close() {
      await idp.close();
      await db.dispose();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;
