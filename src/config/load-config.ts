import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { GatehouseError } from '../errors/index.js';
import { EXTERNAL_TOKEN_ALGORITHMS, GATEHOUSE_VERSION } from '../shared/index.js';
import { asBool, asInt, asList, asString, asUrl, oneOf, Problems } from './coerce.js';
import { readGateway } from './gateway.js';
import { metricsSettings } from './metrics.js';
import { readProviders } from './providers.js';
import { RawSource } from './raw-source.js';
import { DEFAULTS } from './settings.js';
import type { GatehouseConfig, TokenAlgorithm } from './types.js';
import { unsupportedSettingsIn } from './unsupported.js';

export interface LoadConfigInput {
  env: Readonly<Record<string, string | undefined>>;
  /** YAML file path (--config or GATEHOUSE_CONFIG). */
  file?: string | undefined;
  version?: string;
}

export type LoadConfigResult = { ok: true; config: GatehouseConfig } | { ok: false; problems: string[] };

const DAY = 86_400;

/** Parses the YAML file and the environment, checks every setting, and returns the frozen configuration or every problem. */
export function loadConfig(input: LoadConfigInput): LoadConfigResult {
  const problems = new Problems();
  const file = input.file ?? input.env['GATEHOUSE_CONFIG'];
  let yaml: Record<string, unknown> = {};
  if (file) {
    try {
      const parsed: unknown = parseYaml(readFileSync(file, 'utf8'), { uniqueKeys: true, maxAliasCount: 50 });
      if (parsed !== null && parsed !== undefined) {
        if (typeof parsed !== 'object' || Array.isArray(parsed)) problems.add(`${file} must hold a YAML mapping at the top level`);
        else yaml = parsed as Record<string, unknown>;
      }
    } catch (error) {
      problems.add(`Cannot read the configuration file ${file}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  const raw = new RawSource(yaml, input.env, file ?? 'the configuration file');

  const environment = oneOf(raw.get('environment'), problems, ['development', 'production'] as const) ?? DEFAULTS.environment;
  const production = environment === 'production';
  const host = asString(raw.get('server.host'), problems) ?? DEFAULTS['server.host'];
  const port = asInt(raw.get('server.port'), problems, 0, 65_535) ?? DEFAULTS['server.port'];
  const provider = (asString(raw.get('authentication.provider'), problems) ?? DEFAULTS['authentication.provider']).toLowerCase();
  const known = ['basic', 'custom-oidc', 'onelogin', 'google', 'okta', 'auth0', 'azure', 'aws-cognito'];
  if (!known.includes(provider)) {
    problems.add(`${raw.get('authentication.provider')?.source ?? 'AUTHENTICATION_PROVIDER'} must be one of ${known.join(', ')} (LDAP and SAML are not supported); got "${provider}"`);
  }

  const callbackRaw = raw.get('authentication.oidc.callbackUrl');
  let publicUrl = asUrl(raw.get('server.publicUrl'), problems, { httpsRequired: production });
  if (!publicUrl && callbackRaw && typeof callbackRaw.value === 'string') {
    try {
      publicUrl = new URL(callbackRaw.value).origin;
    } catch {
      // Reported when the provider is read.
    }
  }
  publicUrl ??= `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${port}`;
  if (production && !publicUrl.startsWith('https://')) {
    problems.add(`${raw.label('server.publicUrl')} must be an https URL in production; got "${publicUrl}"`);
  }

  const algorithm: TokenAlgorithm =
    oneOf(raw.get('authentication.tokenValidationAlgorithm'), problems, EXTERNAL_TOKEN_ALGORITHMS) ?? DEFAULTS['authentication.tokenValidationAlgorithm'];
  const providers = readProviders(raw, known.includes(provider) ? provider : 'basic', { publicUrl, algorithm, production }, problems);
  const dataDir = resolve(asString(raw.get('dataDir'), problems) ?? DEFAULTS.dataDir);

  const mappingList = asList(raw.get('authentication.principalClaimsMapping'), problems) ?? [...DEFAULTS['authentication.principalClaimsMapping']];
  let principalClaimsMapping: { username: string; email: string } | null = null;
  if (mappingList.length > 0) {
    const pairs = new Map(mappingList.map((item) => [item.split(':')[0]?.trim() ?? '', item.split(':').slice(1).join(':').trim()]));
    const username = pairs.get('username');
    const email = pairs.get('email');
    if (!username || !email || pairs.size !== 2) {
      problems.add(`${raw.label('authentication.principalClaimsMapping')} must hold exactly "username:<claim>" and "email:<claim>"; got [${mappingList.join(',')}]`);
    } else principalClaimsMapping = { username, email };
  }

  const basicEnabled = asBool(raw.get('authentication.basic.enabled'), problems) ?? provider === 'basic';
  const adminsOnly = asBool(raw.get('authentication.basic.adminsOnly'), problems) ?? provider !== 'basic';
  if (provider !== 'basic' && providers.length === 0 && problems.list.length === 0) {
    problems.add(`AUTHENTICATION_PROVIDER is ${provider} but no provider is configured; set AUTHENTICATION_AUTHORITY and AUTHENTICATION_CLIENT_ID`);
  }
  if (!basicEnabled && provider === 'basic') {
    problems.add('Neither password sign-in nor a single sign-on provider is enabled; nobody could sign in');
  }
  const sessionAbsolute = asInt(raw.get('sessions.absoluteSeconds'), problems, 3600, 365 * DAY) ?? DEFAULTS['sessions.absoluteSeconds'];
  const sessionIdle = asInt(raw.get('sessions.idleSeconds'), problems, 60, 365 * DAY) ?? DEFAULTS['sessions.idleSeconds'];

  const encryptionKey = asString(raw.get('encryptionKey'), problems) ?? null;
  if (encryptionKey !== null && Buffer.from(encryptionKey, 'base64').length !== 32) {
    problems.add(`${raw.label('encryptionKey')} must be base64 of exactly 32 random bytes (openssl rand -base64 32)`);
  }
  if (production && encryptionKey === null) {
    problems.add(`${raw.label('encryptionKey')} is required in production (openssl rand -base64 32), so secrets at rest survive restarts and replicas`);
  }

  const publicKeyUrls = (asList(raw.get('authentication.publicKeyUrls'), problems) ?? [`${publicUrl}/api/v1/system/config/jwks`]).filter(
    (u) => asUrl({ value: u, source: raw.get('authentication.publicKeyUrls')?.source ?? 'AUTHENTICATION_PUBLIC_KEYS' }, problems, { httpsRequired: production && !u.startsWith(publicUrl) }) !== undefined,
  );

  const config: GatehouseConfig = {
    environment,
    unsupportedSettings: unsupportedSettingsIn(input.env),
    version: input.version ?? GATEHOUSE_VERSION,
    server: {
      host,
      port,
      publicUrl,
      trustProxy: asBool(raw.get('server.trustProxy'), problems) ?? DEFAULTS['server.trustProxy'],
      logLevel: oneOf(raw.get('server.logLevel'), problems, ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const) ?? DEFAULTS['server.logLevel'],
      bodyLimitBytes: asInt(raw.get('server.bodyLimitBytes'), problems, 1024, 16 * 1024 * 1024) ?? DEFAULTS['server.bodyLimitBytes'],
      shutdownGraceSeconds: asInt(raw.get('server.shutdownGraceSeconds'), problems, 0, 3600) ?? DEFAULTS['server.shutdownGraceSeconds'],
    },
    metrics: metricsSettings(raw, problems, port),
    dataDir,
    database: { url: asString(raw.get('database.url'), problems) ?? `sqlite:${dataDir}/gatehouse.db` },
    authentication: {
      provider,
      basic: { enabled: basicEnabled, adminsOnly: basicEnabled && adminsOnly && provider !== 'basic' },
      providers,
      publicKeyUrls,
      principalClaims: asList(raw.get('authentication.principalClaims'), problems) ?? [...DEFAULTS['authentication.principalClaims']],
      principalClaimsMapping,
      enableSelfSignup: asBool(raw.get('authentication.enableSelfSignup'), problems) ?? DEFAULTS['authentication.enableSelfSignup'],
      tokenValidationAlgorithm: algorithm,
      clockSkewSeconds: asInt(raw.get('authentication.clockSkewSeconds'), problems, 0, 600) ?? DEFAULTS['authentication.clockSkewSeconds'],
    },
    authorizer: {
      adminPrincipals: (asList(raw.get('authorizer.adminPrincipals'), problems) ?? [...DEFAULTS['authorizer.adminPrincipals']]).map((x) => x.toLowerCase()),
      principalDomain: asString(raw.get('authorizer.principalDomain'), problems)?.toLowerCase() ?? null,
      enforcePrincipalDomain: asBool(raw.get('authorizer.enforcePrincipalDomain'), problems) ?? DEFAULTS['authorizer.enforcePrincipalDomain'],
      allowedDomains: (asList(raw.get('authorizer.allowedDomains'), problems) ?? [...DEFAULTS['authorizer.allowedDomains']]).map((x) => x.toLowerCase()),
      allowedRegistrationDomains: (asList(raw.get('authorizer.allowedRegistrationDomains'), problems) ?? [...DEFAULTS['authorizer.allowedRegistrationDomains']]).map((x) => x.toLowerCase()),
      useRolesFromProvider: asBool(raw.get('authorizer.useRolesFromProvider'), problems) ?? DEFAULTS['authorizer.useRolesFromProvider'],
    },
    jwt: {
      issuer: asString(raw.get('jwt.issuer'), problems) ?? DEFAULTS['jwt.issuer'],
      keyId: asString(raw.get('jwt.keyId'), problems) ?? null,
      privateKeyFile: asString(raw.get('jwt.privateKeyFile'), problems) ?? null,
      publicKeyFile: asString(raw.get('jwt.publicKeyFile'), problems) ?? null,
      accessTokenTtlSeconds: asInt(raw.get('jwt.accessTokenTtlSeconds'), problems, 60, DAY) ?? DEFAULTS['jwt.accessTokenTtlSeconds'],
      refreshTokenTtlSeconds: asInt(raw.get('jwt.refreshTokenTtlSeconds'), problems, 300, 90 * DAY) ?? DEFAULTS['jwt.refreshTokenTtlSeconds'],
      allowUnlimitedTokens: asBool(raw.get('jwt.allowUnlimitedTokens'), problems) ?? DEFAULTS['jwt.allowUnlimitedTokens'],
    },
    login: {
      maxLoginFailAttempts: asInt(raw.get('login.maxLoginFailAttempts'), problems, 1, 100) ?? DEFAULTS['login.maxLoginFailAttempts'],
      accessBlockTimeSeconds: asInt(raw.get('login.accessBlockTimeSeconds'), problems, 1, 7 * DAY) ?? DEFAULTS['login.accessBlockTimeSeconds'],
      minPasswordLength: asInt(raw.get('login.minPasswordLength'), problems, 8, 128) ?? DEFAULTS['login.minPasswordLength'],
      rateLimitPerIpPerMinute: asInt(raw.get('login.rateLimitPerIpPerMinute'), problems, 0, 100_000) ?? DEFAULTS['login.rateLimitPerIpPerMinute'],
      rateLimitPerAccountPerMinute: asInt(raw.get('login.rateLimitPerAccountPerMinute'), problems, 0, 100_000) ?? DEFAULTS['login.rateLimitPerAccountPerMinute'],
      passwordHashConcurrency: asInt(raw.get('login.passwordHashConcurrency'), problems, 1, 256) ?? defaultHashConcurrency(input.env['UV_THREADPOOL_SIZE']),
      passwordHashQueue: asInt(raw.get('login.passwordHashQueue'), problems, 0, 100_000) ?? DEFAULTS['login.passwordHashQueue'],
    },
    sessions: {
      absoluteSeconds: sessionAbsolute,
      idleSeconds: Math.min(sessionIdle, sessionAbsolute),
      maxPerUser: asInt(raw.get('sessions.maxPerUser'), problems, 0, 1000) ?? DEFAULTS['sessions.maxPerUser'],
      providerRecheckSeconds: asInt(raw.get('sessions.providerRecheckSeconds'), problems, 0, 86_400) ?? DEFAULTS['sessions.providerRecheckSeconds'],
    },
    bootstrap: {
      admins: (asList(raw.get('bootstrap.admins'), problems) ?? asList(raw.get('authorizer.adminPrincipals'), new Problems()) ?? [...DEFAULTS['authorizer.adminPrincipals']]).map((x) => x.toLowerCase()),
      adminPassword: asString(raw.get('bootstrap.adminPassword'), problems) ?? null,
      adminPasswordFile: asString(raw.get('bootstrap.adminPasswordFile'), problems) ?? null,
    },
    encryptionKey,
    gateway: readGateway(raw, problems),
  };
  if (config.jwt.publicKeyFile && !config.jwt.privateKeyFile) {
    problems.add(`${raw.label('jwt.publicKeyFile')} is set without ${raw.label('jwt.privateKeyFile')}; Gatehouse needs the private key to sign`);
  }
  if (problems.list.length > 0) return { ok: false, problems: problems.list };
  return { ok: true, config: deepFreeze(config) };
}

/**
 * Leaves one core for the event loop (hashing is pure CPU) and one libuv pool thread for fs and dns, which share the
 * pool with argon2. availableParallelism() honours CPU affinity (taskset, container cpusets).
 */
function defaultHashConcurrency(poolSizeText: string | undefined): number {
  const pool = Number.parseInt(poolSizeText ?? '', 10);
  const poolSize = Number.isInteger(pool) && pool > 0 ? pool : 4;
  return Math.max(1, Math.min(availableParallelism() - 1, poolSize - 1));
}

/** loadConfig that throws CONFIG_INVALID listing every problem (for start-up). */
export function loadConfigOrThrow(input: LoadConfigInput): GatehouseConfig {
  const result = loadConfig(input);
  if (!result.ok) {
    throw new GatehouseError('CONFIG_INVALID', `\n  - ${result.problems.join('\n  - ')}`);
  }
  return result.config;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
