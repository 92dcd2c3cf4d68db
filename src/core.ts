import { auditMetrics, createAuditLog, type AuditLog } from './audit/index.js';
import { createPrincipalLoader, type PrincipalLoader } from './authz/index.js';
import { createBotService, type BotService } from './bots/index.js';
import type { GatehouseConfig } from './config/index.js';
import { createPasswordHasher, eventLoopBusyProbe, resolveEncryptionKey, type PasswordEngine } from './crypto/index.js';
import { createRemoteJwks } from './jwks/index.js';
import { createKeyReloader, createKeyRing, type KeyReloader, type KeyRing } from './keys/index.js';
import { providerSettingsFrom } from './preflight/index.js';
import { createCachedSessionStore, createSessionService, createSignInStep, type SessionService, type SignInStep } from './sessions/index.js';
import { timedFetch } from './metrics/index.js';
import { EXTERNAL_TOKEN_ALGORITHMS, noMetrics, silentLogger, type Clock, type Logger, type Metrics } from './shared/index.js';
import { createProviderRegistry, createSsoService, type SsoService } from './sso/index.js';
import {
  createBearerVerifier, createIntrospection, createPersonalTokens, createTokenService, createVerifiedCache, trustedIssuersFrom, type PersonalTokens, type TokenIntrospection,
  type TokenService, type VerifiedCache,
} from './tokens/index.js';
import {
  createApiTokenStore, createAuditStore, createBotStore, createEndedSignInStore, createIdentityStore, createLocalChangeFeed, createLoginAttemptStore,
  createLogoutTokenReplayStore, createOidcTransactionStore, createPostgresChangeFeed, createRefreshTokenStore, createRoleStore, createSessionStore,
  createSigningKeyStore, createUserStore, type ChangeFeed, type DatabaseHandle, type RoleStore, type UserStore,
} from './storage/index.js';
import {
  createBasicSignIn, createProvisioner, createRoleService, createSignInRateLimits, createUserService, createUserViewCache,
  endEverythingOfUser,
  type BasicSignIn, type Provisioner, type RoleService, type UserService,
} from './users/index.js';

/** The stores and services every entry point (the server, each CLI command) runs, so all of them apply the same rules. */
export interface GatehouseCore {
  readonly config: GatehouseConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The stores start-up seeds (default roles, bootstrap administrators). */
  readonly stores: { readonly users: UserStore; readonly roles: RoleStore };
  readonly services: {
    readonly audit: AuditLog;
    readonly principals: PrincipalLoader;
    readonly users: UserService;
    readonly roles: RoleService;
    readonly basicSignIn: BasicSignIn;
    readonly provisioner: Provisioner;
    readonly sessions: SessionService;
    /** Signed in (password or SSO) -> browser session, cookie settings, audit record. */
    readonly signIns: SignInStep;
    readonly sso: SsoService;
    readonly keys: KeyRing;
    readonly tokens: TokenService;
    readonly personalTokens: PersonalTokens;
    /** RFC 7662: the bearer verdict on a token someone else holds. */
    readonly introspection: TokenIntrospection;
    readonly bots: BotService;
  };
  /** This process's verified-token cache; every instance's copy is kept current through the change feed. */
  readonly verifiedTokens: VerifiedCache;
  /** Reloads the key ring on a change event; the server also starts its periodic reload. */
  readonly keyReloader: KeyReloader;
  /** Tells every instance (this one included) that the signing keys changed. */
  keysChanged(): void;
  /** Stops listening for changes after sending the pending ones (PostgreSQL NOTIFY); the database stays open. */
  close(): Promise<void>;
}

export interface CoreInput {
  config: GatehouseConfig;
  handle: DatabaseHandle;
  clock: Clock;
  logger?: Logger;
  /** What computes password hashes (argon2id unless a test controls it). */
  passwordEngine?: PasswordEngine;
  /** Where sign-ins, lockouts, cache lookups and provider calls are counted (main.ts: Prometheus). */
  metrics?: Metrics;
  /** Bounds of the per-instance caches (each module's default when absent). */
  cacheSizes?: CacheSizes;
}

/**
 * Entries each per-instance cache keeps at most. The defaults suit production; the scale benchmark sets them to 1 to
 * measure every request with cold caches (bench/scale.ts), where the size of the tables shows.
 */
export interface CacheSizes {
  readonly sessions?: number;
  readonly principals?: number;
  readonly userViews?: number;
  readonly verifiedTokens?: number;
}

/** Builds every store and service over an open, migrated database. Wiring only: the rules live in the modules. */
export function createCore(input: CoreInput): GatehouseCore {
  const { config, handle, clock } = input;
  const logger = input.logger ?? silentLogger;
  const metrics = input.metrics ?? noMetrics;
  const providerFetch = timedFetch(metrics);
  const db = handle.db;
  const production = config.environment === 'production';
  const stores = {
    users: createUserStore(db, handle.engine),
    roles: createRoleStore(db),
    identities: createIdentityStore(db),
    attempts: createLoginAttemptStore(db),
    refreshTokens: createRefreshTokenStore(db),
    audit: createAuditStore(db),
  };
  const audit = createAuditLog({ store: stores.audit, clock, logger, observe: auditMetrics(metrics) });
  const encryptionKey = resolveEncryptionKey({ configured: config.encryptionKey, dataDir: config.dataDir, production });

  // Per-instance caches, declared before the feed that keeps them current subscribes to them.
  const sizes = input.cacheSizes ?? {};
  const principals = createPrincipalLoader({
    users: stores.users, roles: stores.roles, onLookup: (hit) => metrics.cacheLookup('principals', hit), ...(sizes.principals ? { maxEntries: sizes.principals } : {}),
  });
  const verifiedTokens = createVerifiedCache(sizes.verifiedTokens, (hit) => metrics.cacheLookup('verified-tokens', hit));
  const userViews = createUserViewCache(sizes.userViews);
  const ring = createKeyRing({
    store: createSigningKeyStore(db, handle.engine), clock, logger, encryptionKey, production,
    privateKeyFile: config.jwt.privateKeyFile, publicKeyFile: config.jwt.publicKeyFile, keyId: config.jwt.keyId,
    clockSkewSeconds: config.authentication.clockSkewSeconds,
  });
  const keyReloader = createKeyReloader({ ring, forgetVerified: () => verifiedTokens.clear(), logger });

  // Session rows, cached a few seconds; every end of a session is published on the feed below.
  const sessionRows = createCachedSessionStore(createSessionStore(db), {
    clock, publishChanged: (id) => feed.publish({ kind: 'session', id }), onLookup: (hit) => metrics.cacheLookup('sessions', hit),
    ...(sizes.sessions ? { maxEntries: sizes.sessions } : {}),
  });
  // Every cache invalidation goes through the feed, so it holds on every instance (PostgreSQL LISTEN/NOTIFY).
  const feed: ChangeFeed = handle.engine === 'postgres' ? createPostgresChangeFeed(handle.url, handle.schema, logger) : createLocalChangeFeed();
  feed.subscribe((event) => {
    switch (event.kind) {
      case 'user':
        sessionRows.invalidateUser(event.id);
        principals.invalidate(event.id);
        verifiedTokens.invalidateUser(event.id);
        userViews.invalidate(event.id);
        break;
      case 'roles':
        // Also what a reconnected feed sends after being deaf for a while: every cache starts over.
        sessionRows.clear();
        principals.clear();
        userViews.clear();
        break;
      case 'session':
        sessionRows.invalidateSession(event.id);
        break;
      case 'token':
        verifiedTokens.invalidateToken(event.id);
        break;
      case 'sign-in':
        verifiedTokens.invalidateSignIn(event.id);
        break;
      case 'keys':
        keyReloader.reloadNow();
        break;
    }
  });
  const userChanged = (userId: string) => feed.publish({ kind: 'user', id: userId });

  const sessions = createSessionService({
    store: sessionRows,
    clock,
    encryptionKey,
    policy: { absoluteSeconds: config.sessions.absoluteSeconds, idleSeconds: config.sessions.idleSeconds, maxPerUser: config.sessions.maxPerUser },
    // Access tokens handed out with a session (OpenMetadata's /api/v1/auth/login) carry its id as their sign-in:
    // ending the session ends them on every instance. (`tokens` is built below; this runs only after start-up.)
    onSessionsEnded: async (ended) => {
      for (const [userId, ids] of groupByUser(ended)) await tokens.endSignIns(userId, ids);
    },
  });
  const signIns = createSignInStep({ sessions, audit, publicUrl: config.server.publicUrl });
  const endedSignIns = createEndedSignInStore(db);
  const tokens = createTokenService({
    ring,
    verifier: createBearerVerifier({
      ring, remote: createRemoteJwks({ clock, logger, algorithms: EXTERNAL_TOKEN_ALGORITHMS, fetch: providerFetch }), clock, ownIssuer: config.jwt.issuer, trusted: trustedIssuersFrom(config.authentication.publicKeyUrls, { publicUrl: config.server.publicUrl, providers: config.authentication.providers }),
      externalAlgorithms: [config.authentication.tokenValidationAlgorithm], clockSkewSeconds: config.authentication.clockSkewSeconds,
    }),
    store: createApiTokenStore(db, handle.rows), cache: verifiedTokens, principals, clock, logger, issuer: config.jwt.issuer,
    accessTokenTtlSeconds: config.jwt.accessTokenTtlSeconds, allowUnlimited: config.jwt.allowUnlimitedTokens,
    nameRules: { principalClaims: config.authentication.principalClaims, mapping: config.authentication.principalClaimsMapping },
    domainRules: config.authorizer,
    publishRevoked: (jti) => feed.publish({ kind: 'token', id: jti }),
    signIns: endedSignIns, publishSignInEnded: (id) => feed.publish({ kind: 'sign-in', id }),
  });
  const basicSignIn = createBasicSignIn({
    users: stores.users, roles: stores.roles, attempts: stores.attempts, refreshTokens: stores.refreshTokens, audit, clock,
    hasher: createPasswordHasher({
      concurrency: config.login.passwordHashConcurrency, maxWaiting: config.login.passwordHashQueue, loopBusy: eventLoopBusyProbe(),
      ...(input.passwordEngine ? { engine: input.passwordEngine } : {}),
    }),
    limits: createSignInRateLimits({ perIpPerMinute: config.login.rateLimitPerIpPerMinute, perAccountPerMinute: config.login.rateLimitPerAccountPerMinute, clock }),
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
  const onUserDeactivated = endEverythingOfUser({
    endAllSignIns: (userId) => basicSignIn.endAllSignIns(userId),
    revokeAllSessions: (userId) => sessions.revokeAllForUser(userId),
    revokeAllTokens: (userId) => tokens.revokeAllForUser(userId),
    publishUserChanged: userChanged,
  });
  const users = createUserService({ ...stores, audit, clock, onUserDeactivated, onUserChanged: userChanged, views: userViews });
  const roles = createRoleService({ roles: stores.roles, audit, clock, onRolesChanged: () => feed.publish({ kind: 'roles' }) });
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
  const sso = createSsoService({
    registry: createProviderRegistry({
      providers: providerSettingsFrom(config), production, clock, logger, clockSkewSeconds: config.authentication.clockSkewSeconds, fetch: providerFetch,
    }),
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
  const personalTokens = createPersonalTokens({ tokens, users, audit });
  const introspection = createIntrospection({ tokens });
  const bots = createBotService({ bots: createBotStore(db), users: stores.users, roles: stores.roles, tokens, audit, clock, onUserChanged: userChanged });

  return {
    config, clock, logger,
    stores: { users: stores.users, roles: stores.roles },
    services: { audit, principals, users, roles, basicSignIn, provisioner, sessions, signIns, sso, keys: ring, tokens, personalTokens, introspection, bots },
    verifiedTokens,
    keyReloader,
    keysChanged: () => feed.publish({ kind: 'keys' }),
    async close() {
      await keyReloader.stop();
      // Token uses noted since the last flush are written before the process goes (graceful shutdown, CLI exit).
      await tokens.flushLastUsed();
      await feed.close();
    },
  };
}

function groupByUser(ended: readonly { id: string; user_id: string }[]): Map<string, string[]> {
  const byUser = new Map<string, string[]>();
  for (const s of ended) byUser.set(s.user_id, [...(byUser.get(s.user_id) ?? []), s.id]);
  return byUser;
}
