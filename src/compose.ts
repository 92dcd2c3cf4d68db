import type { AuditLog } from './audit/index.js';
import { DEFAULT_ROLES } from './authz/index.js';
import type { GatehouseConfig } from './config/index.js';
import { createCore, type CoreInput, type GatehouseCore } from './core.js';
import { GatehouseError } from './errors/index.js';
import { audiencesFrom, createAccessPolicy, createAssertionSigner, createGatewayCheck, returnHostsFrom, type GatewayCheck, type ReturnHosts } from './gateway/index.js';
import type { AppDeps, RequestAuthenticator } from './http/index.js';
import { productionChecklist, readStartupFacts, refuseUnsafeStart } from './preflight/index.js';
import { checkSameOrigin, gatePendingPasswordChange, sessionCookie } from './sessions/index.js';
import { expiryPurgeTasks, readStorageReadiness, startExpirySweep } from './storage/index.js';
import { seedAccounts, type BootstrapResult, type Provisioner } from './users/index.js';

export interface Gatehouse {
  readonly appDeps: AppDeps;
  readonly services: { audit: AuditLog; provisioner: Provisioner };
  /** Refuses what `config check` refuses (src/preflight), then seeds roles and bootstrap admins and loads keys. */
  prepare(): Promise<{ bootstrapAdmins: BootstrapResult[] }>;
  close(): Promise<void>;
}

/** How often each instance purges expired rows (at most 4 statements of 500 rows per table each time). */
export const EXPIRY_SWEEP_INTERVAL_MS = 60_000;

/** The HTTP layer's view of the core: how a request is authenticated (a bearer token or a browser session). */
function requestAuthenticator(core: GatehouseCore): RequestAuthenticator {
  const { config, services } = core;
  return {
    bearer: (token) => services.tokens.authenticate(token),
    async session(secret) {
      const session = await services.sso.resumeSession(secret);
      const principal = session && (await services.principals.byId(session.userId, 'session', session.id));
      return principal ? { principal: gatePendingPasswordChange(session, principal), sessionId: session.id } : undefined;
    },
    sessionCookieName: sessionCookie(config.server.publicUrl).name,
    isSameOriginRequest: (r) =>
      checkSameOrigin({ method: r.method, origin: r.origin, secFetchSite: r.secFetchSite, customHeader: r.requestedWith, publicOrigin: config.server.publicUrl }),
  };
}

/** Where sign-in may return to: gateway.returnHosts and Gatehouse's own host (the proxy in front shares it). */
function gatewayReturnHosts(config: GatehouseConfig): ReturnHosts {
  return returnHostsFrom([...config.gateway.returnHosts, new URL(config.server.publicUrl).hostname]).hosts;
}

/**
 * The gateway check needs the role names (roles are data), known only after start-up seeded them: it is built in
 * prepare(); until then a check is refused (the server does not listen before prepare()).
 */
function lateGatewayCheck(core: GatehouseCore, returnHosts: ReturnHosts) {
  let current: GatewayCheck | undefined;
  const check: GatewayCheck = {
    check(request, principal) {
      if (!current) throw new GatehouseError('INTERNAL', undefined, { internal: { reason: 'gateway check before prepare()' } });
      return current.check(request, principal);
    },
  };
  function build(roleNames: ReadonlySet<string>): void {
    const { config, clock, services } = core;
    current = createGatewayCheck({
      policy: createAccessPolicy({ rules: config.gateway.rules, defaultAccess: config.gateway.default, roleNames, caseInsensitiveHosts: config.gateway.caseInsensitiveHosts }),
      signer: createAssertionSigner({ ring: services.keys, clock, issuer: config.jwt.issuer }),
      returnHosts,
      signInPage: new URL('/signin', config.server.publicUrl).href,
      audienceFor: audiencesFrom(config.gateway.audiences).audienceFor,
    });
  }
  return { check, build };
}

/** The server: the core's services, the HTTP layer's dependencies, and the timers each instance runs. */
export async function createGatehouse(input: CoreInput): Promise<Gatehouse> {
  const { config, handle, clock } = input;
  const core = createCore(input);
  const { services, logger } = core;

  core.keyReloader.start();
  const expirySweep = startExpirySweep({
    logger,
    intervalMs: EXPIRY_SWEEP_INTERVAL_MS,
    tasks: expiryPurgeTasks(handle.db, { clock, clockSkewSeconds: config.authentication.clockSkewSeconds }),
  });

  const returnHosts = gatewayReturnHosts(config);
  const gateway = lateGatewayCheck(core, returnHosts);

  return {
    appDeps: {
      config, clock, audit: services.audit, users: services.users, roles: services.roles, principals: services.principals,
      basicSignIn: services.basicSignIn, authenticator: requestAuthenticator(core), readiness: () => readStorageReadiness(handle),
      sso: services.sso, sessions: services.sessions, signIns: services.signIns, personalTokens: services.personalTokens,
      introspection: services.introspection, gateway: gateway.check, gatewayReturnHosts: returnHosts,
      productionChecklist: async () => productionChecklist(await readStartupFacts(config, handle)),
      tokens: services.tokens, bots: services.bots, keys: services.keys, keysChanged: core.keysChanged,
    },
    services: { audit: services.audit, provisioner: services.provisioner },
    async prepare() {
      const bootstrapAdmins = await refuseUnsafeStart(config, handle, () =>
        seedAccounts({
          roles: core.stores.roles, users: core.stores.users, audit: services.audit, clock,
          basicSignInEnabled: config.authentication.basic.enabled, adminPrincipals: config.bootstrap.admins,
          principalDomain: config.authorizer.principalDomain, password: config.bootstrap.adminPassword,
          passwordFile: config.bootstrap.adminPasswordFile,
        }),
      );
      await services.keys.init();
      await services.bots.seedIngestionBot();
      const stored = await core.stores.roles.list();
      gateway.build(new Set([...DEFAULT_ROLES.map((r) => r.name), ...stored.map((r) => r.name)]));
      return { bootstrapAdmins };
    },
    async close() {
      await expirySweep.stop();
      await core.close();
    },
  };
}
