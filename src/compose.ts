import { sql } from 'kysely';
import { createAuditLog, type AuditLog } from './audit/index.js';
import type { GatehouseConfig } from './config/index.js';
import { GatehouseError } from './errors/index.js';
import type { AppDeps, RequestAuthenticator } from './http/index.js';
import { productionChecklist, providerSettingsFrom, readStartupFacts, startupProblems, startupRefusal } from './preflight/index.js';
import { resolveEncryptionKey } from './crypto/index.js';
import { checkSameOrigin, createSessionService, createSignInStep, sessionCookie } from './sessions/index.js';
import { silentLogger, type Clock, type Logger } from './shared/index.js';
import { createProviderRegistry, createSsoService } from './sso/index.js';
import { createKeyRing } from './keys/index.js';
import { createBearerVerifier, createPersonalTokens, createRemoteJwks, createTokenService, createVerifiedCache, trustedIssuersFrom } from './tokens/index.js';
import {
  createApiTokenStore, createAuditStore, createBotStore, createEndedSignInStore, createIdentityStore, createLogoutTokenReplayStore, createOidcTransactionStore, createSessionStore, createLocalChangeFeed, createPostgresChangeFeed, createSigningKeyStore, createLoginAttemptStore, createRefreshTokenStore, createRoleStore, createUserStore,
  migrationsApplied, startExpirySweep, type DatabaseHandle,
} from './storage/index.js';
import {
  createBasicSignIn, createBotService, createPrincipalLoader, createProvisioner, createRoleService, createUserService, ensureBootstrapAdmins,
  seedDefaultRoles, type BootstrapResult, type Provisioner,
} from './users/index.js';

export interface Gatehouse {
  readonly appDeps: AppDeps;
  readonly services: { audit: AuditLog; provisioner: Provisioner };
  /** Refuses what `config check` refuses (src/preflight), then seeds roles and bootstrap admins and loads keys. */
  prepare(): Promise<{ bootstrapAdmins: BootstrapResult[] }>;
  close(): Promise<void>;
}

const KEY_RELOAD_INTERVAL_MS = 60_000;
/** How often each instance purges expired rows (at most 4 statements of 500 rows per table each time). */
export const EXPIRY_SWEEP_INTERVAL_MS = 60_000;
const DAY_MS = 86_400_000;

/** Builds every service from the configuration and an open, migrated database. The only place that wires modules. */
export async function createGatehouse(input: { config: GatehouseConfig; handle: DatabaseHandle; clock: Clock; logger?: Logger }): Promise<Gatehouse> {
  const { config, handle, clock } = input;
  const logger = input.logger ?? silentLogger;
  const db = handle.db;
  const stores = {
    users: createUserStore(db, handle.engine),
    roles: createRoleStore(db),
    identities: createIdentityStore(db),
    attempts: createLoginAttemptStore(db),
    refreshTokens: createRefreshTokenStore(db),
    audit: createAuditStore(db),
  };
  const audit = createAuditLog({ store: stores.audit, clock, logger });
  const principals = createPrincipalLoader({ users: stores.users, roles: stores.roles });

  // Every cache invalidation goes through the feed, so it holds on every instance (PostgreSQL LISTEN/NOTIFY).
  const feed = handle.engine === 'postgres' ? createPostgresChangeFeed(handle.url, handle.schema, logger) : createLocalChangeFeed();
  feed.subscribe((event) => {
    if (event.kind === 'user') {
      principals.invalidate(event.id);
      tokenCache.invalidateUser(event.id);
    }
    if (event.kind === 'roles') principals.clear();
    if (event.kind === 'token') tokenCache.invalidateToken(event.id);
    if (event.kind === 'sign-in') tokenCache.invalidateSignIn(event.id);
    // A retired key must stop verifying at once, including tokens already in the cache.
    // Cleared again after the reload: a request verified in between with the old key set must not stay cached.
    if (event.kind === 'keys') {
      tokenCache.clear();
      void ring.reload().then(() => tokenCache.clear()).catch((error: unknown) => logger.error({ err: error }, 'key reload failed'));
    }
  });
  const tokenCache = createVerifiedCache();
  const endedSignIns = createEndedSignInStore(db);
  const userChanged = (userId: string) => feed.publish({ kind: 'user', id: userId });
  const userDeactivated = async (userId: string) => {
    // Ended, not only refused while disabled: re-enabling the user must not bring the old access tokens back.
    await basicSignIn.endAllSignIns(userId);
    await sessions.revokeAllForUser(userId);
    await tokens.revokeAllForUser(userId);
    feed.publish({ kind: 'user', id: userId });
  };

  const users = createUserService({ ...stores, audit, clock, onUserDeactivated: userDeactivated, onUserChanged: userChanged });
  const roles = createRoleService({ roles: stores.roles, audit, clock, onRolesChanged: () => feed.publish({ kind: 'roles' }) });
  const basicSignIn = createBasicSignIn({
    users: stores.users, roles: stores.roles, attempts: stores.attempts, refreshTokens: stores.refreshTokens, audit, clock,
    issuer: {
      issueUserAccessToken: (user, roleNames, signInId) => tokens.issueUserAccessToken(user, roleNames, signInId),
      endSignIns: (userId, ids) => tokens.endSignIns(userId, ids),
      signInOf: (token) => tokens.signInOf(token),
    },
    policy: {
      maxLoginFailAttempts: config.login.maxLoginFailAttempts,
      accessBlockTimeSeconds: config.login.accessBlockTimeSeconds,
      minPasswordLength: config.login.minPasswordLength,
      refreshTokenTtlSeconds: config.jwt.refreshTokenTtlSeconds,
      adminsOnly: config.authentication.basic.adminsOnly,
    },
    onPasswordChanged: async (userId, keepSessionId) => {
      await sessions.revokeAllForUser(userId, keepSessionId ?? undefined);
    },
    onUserChanged: userChanged,
  });
  const provisioner = createProvisioner({
    users: stores.users, identities: stores.identities, roles: stores.roles, audit, clock, onUserChanged: userChanged,
    rules: {
      principalClaims: config.authentication.principalClaims,
      mapping: config.authentication.principalClaimsMapping,
      enableSelfSignup: config.authentication.enableSelfSignup,
      adminPrincipals: config.authorizer.adminPrincipals,
      enforcePrincipalDomain: config.authorizer.enforcePrincipalDomain,
      principalDomain: config.authorizer.principalDomain,
      allowedDomains: config.authorizer.allowedDomains,
      useRolesFromProvider: config.authorizer.useRolesFromProvider,
      providers: Object.fromEntries(config.authentication.providers.map((p) => [p.id, { groupRoleMapping: p.groupRoleMapping, rolesClaim: p.rolesClaim }])),
    },
  });

  const encryptionKey = resolveEncryptionKey({ configured: config.encryptionKey, dataDir: config.dataDir, production: config.environment === 'production' });
  const sessions = createSessionService({
    store: createSessionStore(db),
    clock,
    encryptionKey,
    policy: { absoluteSeconds: config.sessions.absoluteSeconds, idleSeconds: config.sessions.idleSeconds, maxPerUser: config.sessions.maxPerUser },
  });
  const signIns = createSignInStep({ sessions, audit, publicUrl: config.server.publicUrl });
  const registry = createProviderRegistry({
    providers: providerSettingsFrom(config),
    production: config.environment === 'production',
    clock,
    logger,
    clockSkewSeconds: config.authentication.clockSkewSeconds,
  });
  const sso = createSsoService({
    registry,
    transactions: createOidcTransactionStore(db),
    logoutReplay: createLogoutTokenReplayStore(db),
    sessions,
    signIns,
    clock,
    logger,
    providerRecheckSeconds: config.sessions.providerRecheckSeconds,
    provisionUser: async (identity, client) => {
      const user = await provisioner.signIn(identity, { actorId: null, actorName: null, ip: client.ip, userAgent: client.userAgent });
      return { userId: user.id, name: user.name };
    },
    resyncUser: (userId, identity) => provisioner.resync(userId, identity),
    onSessionEnded: (event) =>
      audit.record({ actorId: null, actorName: 'system', ip: null, userAgent: null }, {
        type: 'session.end', outcome: 'success', target: { type: 'user', id: event.userId }, details: { reason: event.reason, session: event.sessionId },
      }),
  });

  const ring = createKeyRing({
    store: createSigningKeyStore(db, handle.engine), clock, logger, encryptionKey, production: config.environment === 'production',
    privateKeyFile: config.jwt.privateKeyFile, publicKeyFile: config.jwt.publicKeyFile, keyId: config.jwt.keyId,
    clockSkewSeconds: config.authentication.clockSkewSeconds,
  });
  const tokens = createTokenService({
    ring,
    verifier: createBearerVerifier({
      ring, remote: createRemoteJwks({ clock, logger }), clock, ownIssuer: config.jwt.issuer, trusted: trustedIssuersFrom(config.authentication.publicKeyUrls, { publicUrl: config.server.publicUrl, providers: config.authentication.providers }),
      externalAlgorithms: [config.authentication.tokenValidationAlgorithm], clockSkewSeconds: config.authentication.clockSkewSeconds,
    }),
    store: createApiTokenStore(db), cache: tokenCache, principals, clock, logger, issuer: config.jwt.issuer,
    accessTokenTtlSeconds: config.jwt.accessTokenTtlSeconds, allowUnlimited: config.jwt.allowUnlimitedTokens,
    nameRules: { principalClaims: config.authentication.principalClaims, mapping: config.authentication.principalClaimsMapping },
    domainRules: config.authorizer,
    publishRevoked: (jti) => feed.publish({ kind: 'token', id: jti }),
    signIns: endedSignIns, publishSignInEnded: (id) => feed.publish({ kind: 'sign-in', id }),
  });

  const personalTokens = createPersonalTokens({ tokens, users, audit });
  const bots = createBotService({ bots: createBotStore(db), users: stores.users, roles: stores.roles, tokens, audit, clock });

  const authenticator: RequestAuthenticator = {
    bearer: (token) => tokens.authenticate(token),
    async session(secret) {
      const session = await sso.resumeSession(secret);
      if (!session) return undefined;
      const principal = await principals.byId(session.userId, 'session', session.id);
      if (!principal) return undefined;
      // A pending password change gates password sign-ins only; a single sign-on session did not use the password.
      const gated = session.providerId === null ? principal : { ...principal, mustChangePassword: false };
      return { principal: gated, sessionId: session.id };
    },
    sessionCookieName: sessionCookie(config.server.publicUrl).name,
    isSameOriginRequest: (r) =>
      checkSameOrigin({ method: r.method, origin: r.origin, secFetchSite: r.secFetchSite, customHeader: r.requestedWith, publicOrigin: config.server.publicUrl }),
  };

  async function readiness() {
    let database = 'ok';
    let migrations = 'ok';
    try {
      await sql`select 1`.execute(db);
      if (!(await migrationsApplied(handle))) migrations = 'pending: run `gatehouse migrate`';
    } catch {
      database = 'unreachable';
      migrations = 'unknown';
    }
    return { ready: database === 'ok' && migrations === 'ok', database, migrations };
  }

  // Retiring keys retire themselves once their last token expired; this notices it without waiting for a request.
  // Another process on the same SQLite file (`gatehouse keys retire`) sends no change event: when a key stopped
  // verifying, the tokens it signed must leave the verified-token cache too.
  const liveKids = () => ring.jwks().keys.map((k) => k.kid).join(' ');
  const keyReloadTimer = setInterval(() => {
    const before = liveKids();
    void ring.reload()
      .then(() => {
        if (liveKids() !== before) tokenCache.clear();
      })
      .catch((error: unknown) => logger.error({ err: error }, 'periodic key reload failed'));
  }, KEY_RELOAD_INTERVAL_MS);
  keyReloadTimer.unref();

  // Expired rows are refused where they are read; the sweep reclaims their space so no table grows for ever.
  // One line per table (stores hold no state, so the sweep has its own). Cut-offs: a token record outlives its exp by
  // the clock skew the verifier allows (at least a day); a failure counter is forgotten a day after its last attempt.
  const tokenRecordGraceMs = Math.max(DAY_MS, config.authentication.clockSkewSeconds * 1000);
  const expirySweep = startExpirySweep({
    logger,
    intervalMs: EXPIRY_SWEEP_INTERVAL_MS,
    tasks: [
      { table: 'sessions', purge: (limit) => createSessionStore(db).purgeExpired(clock.now(), limit) },
      { table: 'oidc_transactions', purge: (limit) => createOidcTransactionStore(db).purgeExpired(clock.now(), limit) },
      { table: 'logout_token_jtis', purge: (limit) => createLogoutTokenReplayStore(db).purgeExpired(clock.now(), limit) },
      { table: 'refresh_tokens', purge: (limit) => stores.refreshTokens.purgeExpired(clock.now(), limit) },
      { table: 'api_tokens', purge: (limit) => createApiTokenStore(db).purgeExpired(clock.now() - tokenRecordGraceMs, limit) },
      { table: 'login_attempts', purge: (limit) => stores.attempts.purgeExpired(clock.now() - DAY_MS, limit) },
      { table: 'ended_sign_ins', purge: (limit) => endedSignIns.purgeExpired(clock.now(), limit) },
    ],
  });

  return {
    appDeps: { config, clock, audit, users, roles, principals, basicSignIn, authenticator, readiness, sso, sessions, signIns, personalTokens,
      productionChecklist: async () => productionChecklist(await readStartupFacts(config, handle)),
      tokens, bots, keys: ring, keysChanged: () => feed.publish({ kind: 'keys' }),
    },
    services: { audit, provisioner },
    async prepare() {
      // The same checks as `gatehouse config check`, on what this start would leave behind (default roles seeded,
      // bootstrap admins created), so both give one verdict with the same messages.
      const facts = await readStartupFacts(config, handle);
      // The database was just migrated; failing to read it here is an outage, not a new database.
      if (facts.databaseNote) throw new GatehouseError('STORAGE_UNAVAILABLE', facts.databaseNote);
      const problems = await startupProblems(facts);
      // Nothing is written when the start is refused, except bootstrap admins when they are the only problem: they
      // must exist for `gatehouse admin set-password` before a production start.
      if (problems.some((p) => p.check !== 'bootstrap-admin')) throw startupRefusal(problems);
      await seedDefaultRoles(stores.roles, clock);
      const bootstrapAdmins = config.authentication.basic.enabled
        ? await ensureBootstrapAdmins({
            users: stores.users, audit, clock, adminPrincipals: config.bootstrap.admins,
            principalDomain: config.authorizer.principalDomain, password: config.bootstrap.adminPassword,
            passwordFile: config.bootstrap.adminPasswordFile,
          })
        : [];
      if (problems.length > 0) throw startupRefusal(problems);
      await ring.init();
      await bots.seedIngestionBot();
      return { bootstrapAdmins };
    },
    async close() {
      clearInterval(keyReloadTimer);
      await expirySweep.stop();
      await feed.close();
    },
  };
}
