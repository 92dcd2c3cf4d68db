/**
 * Every setting Gatehouse reads, with its YAML path, environment names (OpenMetadata's first) and meaning.
 * This table drives loading, `gatehouse config check` and docs/configuration.md (a test keeps them in step).
 */
export type SettingKind = 'string' | 'int' | 'bool' | 'list' | 'json';

export interface Setting {
  readonly path: string;
  readonly env: readonly string[];
  readonly kind: SettingKind;
  readonly defaultText: string;
  readonly secret?: boolean;
  readonly doc: string;
}

const s = (path: string, env: string[], kind: SettingKind, defaultText: string, doc: string, secret = false): Setting => ({
  path,
  env,
  kind,
  defaultText,
  doc,
  secret,
});

/**
 * The default of every setting that has a plain value: the one place it is written. Loading (load-config.ts,
 * providers.ts) falls back to these, and the table below shows them in docs/configuration.md. Defaults that depend on
 * other settings (publicUrl, callbackUrl, basic.enabled, ...) are computed where they are loaded and described in the table.
 */
export const DEFAULTS = {
  'environment': 'development',
  'server.host': '127.0.0.1',
  'server.port': 8585,
  'server.trustProxy': false,
  'server.logLevel': 'info',
  'server.bodyLimitBytes': 1_048_576,
  'server.shutdownGraceSeconds': 25,
  'dataDir': './data',
  'authentication.provider': 'basic',
  'authentication.oidc.scopes': 'openid email profile',
  'authentication.oidc.groupsClaim': 'groups',
  'authentication.oidc.rolesClaim': 'roles',
  'authentication.principalClaims': ['email', 'preferred_username', 'sub'],
  'authentication.principalClaimsMapping': [],
  'authentication.enableSelfSignup': true,
  'authentication.tokenValidationAlgorithm': 'RS256',
  'authentication.clockSkewSeconds': 60,
  'authorizer.adminPrincipals': ['admin'],
  'authorizer.enforcePrincipalDomain': false,
  'authorizer.allowedDomains': [],
  'authorizer.allowedRegistrationDomains': ['all'],
  'authorizer.useRolesFromProvider': false,
  'jwt.issuer': 'open-metadata.org',
  'jwt.accessTokenTtlSeconds': 3600,
  'jwt.refreshTokenTtlSeconds': 604_800,
  'jwt.allowUnlimitedTokens': true,
  'login.maxLoginFailAttempts': 3,
  'login.accessBlockTimeSeconds': 600,
  'login.minPasswordLength': 8,
  'login.rateLimitPerIpPerMinute': 60,
  'login.rateLimitPerAccountPerMinute': 30,
  'login.passwordHashQueue': 32,
  'sessions.absoluteSeconds': 604_800,
  'sessions.idleSeconds': 28_800,
  'sessions.providerRecheckSeconds': 900,
  'sessions.maxPerUser': 0,
  'gateway.default': 'deny',
  'gateway.returnHosts': [],
  'gateway.caseInsensitiveHosts': [],
  'gateway.forwardAuthorization': false,
  'gateway.proxyConnectTimeoutMs': 5000,
  'gateway.proxyHeadersTimeoutMs': 60_000,
} as const;

export type DefaultedPath = keyof typeof DEFAULTS;

/** How a default reads in the docs: lists as [a,b], everything else as written. */
function defaultText(path: DefaultedPath): string {
  const value: unknown = DEFAULTS[path];
  return Array.isArray(value) ? `[${value.join(',')}]` : String(value);
}

export const SETTINGS: readonly Setting[] = [
  s('environment', ['GATEHOUSE_ENV'], 'string', defaultText('environment'), '`development` or `production`; production refuses unsafe settings.'),
  s('server.host', ['SERVER_HOST'], 'string', defaultText('server.host'), 'Address to listen on (0.0.0.0 in containers).'),
  s('server.port', ['SERVER_PORT'], 'int', defaultText('server.port'), 'Port to listen on.'),
  s('server.publicUrl', ['GATEHOUSE_PUBLIC_URL', 'OIDC_SERVER_URL'], 'string', 'origin of AUTHENTICATION_CALLBACK_URL, else http://<host>:<port>', 'The origin people use to reach Gatehouse; https in production. Decides cookie names and the CSRF origin.'),
  s('server.trustProxy', ['GATEHOUSE_TRUST_PROXY'], 'bool', defaultText('server.trustProxy'), 'Trust X-Forwarded-* from a reverse proxy (client address, https).'),
  s('server.logLevel', ['GATEHOUSE_LOG_LEVEL'], 'string', defaultText('server.logLevel'), 'Log level: fatal, error, warn, info, debug or trace. Logs are JSON lines; secrets are never logged. Unset, `npm start` (gatehouse start) and `gatehouse serve` in a terminal log warnings and errors only, so the request log does not scroll the start-up banner away.'),
  s('server.bodyLimitBytes', ['GATEHOUSE_BODY_LIMIT'], 'int', defaultText('server.bodyLimitBytes'), 'Largest request body accepted.'),
  s('dataDir', ['GATEHOUSE_DATA_DIR'], 'string', defaultText('dataDir'), 'Folder for the embedded SQLite database and development keys.'),
  s('database.url', ['DATABASE_URL'], 'string', 'sqlite:<dataDir>/gatehouse.db', 'postgres://user:pass@host:5432/db for PostgreSQL, or sqlite:<path>.', true),
  s('authentication.provider', ['AUTHENTICATION_PROVIDER'], 'string', defaultText('authentication.provider'), '`basic`, `custom-oidc` (OneLogin and any OIDC provider), `onelogin`, or another OIDC provider name (google, okta, auth0, azure, aws-cognito).'),
  s('authentication.basic.enabled', ['GATEHOUSE_BASIC_AUTH_ENABLED'], 'bool', 'true when provider is basic, else false', 'Allow user name + password sign-in.'),
  s('authentication.basic.adminsOnly', ['GATEHOUSE_BASIC_AUTH_ADMINS_ONLY'], 'bool', 'true when SSO is configured', 'Break-glass mode: only administrators may use password sign-in (audited).'),
  s('authentication.oidc.displayName', ['CUSTOM_OIDC_AUTHENTICATION_PROVIDER_NAME'], 'string', 'OneLogin for onelogin, else "Single sign-on"', 'Label of the sign-in button.'),
  s('authentication.oidc.id', ['GATEHOUSE_PROVIDER_ID'], 'string', 'derived from the provider name', 'Id of the provider configured from the environment (used in ?provider=).'),
  s('authentication.oidc.authority', ['AUTHENTICATION_AUTHORITY'], 'string', '(none)', 'Issuer URL, e.g. https://<subdomain>.onelogin.com/oidc/2. Must match discovery exactly.'),
  s('authentication.oidc.oneloginSubdomain', ['ONELOGIN_SUBDOMAIN'], 'string', '(none)', 'With provider `onelogin`: the subdomain; the issuer becomes https://<subdomain>.onelogin.com/oidc/2.'),
  s('authentication.oidc.discoveryUri', ['OIDC_DISCOVERY_URI'], 'string', '<authority>/.well-known/openid-configuration', 'Accepted for compatibility; must belong to the authority.'),
  s('authentication.oidc.clientId', ['AUTHENTICATION_CLIENT_ID', 'OIDC_CLIENT_ID'], 'string', '(none)', 'The OIDC client id (OneLogin: Client ID on the SSO tab).'),
  s('authentication.oidc.clientType', ['AUTHENTICATION_CLIENT_TYPE'], 'string', 'public', '`public` (PKCE, no secret: OneLogin "None (PKCE)") or `confidential` (secret).'),
  s('authentication.oidc.clientSecret', ['OIDC_CLIENT_SECRET'], 'string', '(none)', 'Client secret for confidential clients.', true),
  s('authentication.oidc.clientAuthMethod', ['OIDC_CLIENT_AUTH_METHOD'], 'string', 'client_secret_basic for confidential, none for public', '`client_secret_basic` (OneLogin "Basic") or `client_secret_post` (OneLogin "POST").'),
  s('authentication.oidc.callbackUrl', ['AUTHENTICATION_CALLBACK_URL', 'OIDC_CALLBACK'], 'string', '<publicUrl>/callback', 'Redirect URI registered at the provider, exactly; must be <publicUrl>/callback.'),
  s('authentication.oidc.scopes', ['OIDC_SCOPE'], 'string', defaultText('authentication.oidc.scopes'), 'Space-separated scopes; add `groups` to receive OneLogin groups.'),
  s('authentication.oidc.customParams', ['OIDC_CUSTOM_PARAMS'], 'json', '{}', 'Extra authorization parameters as a JSON object.'),
  s('authentication.oidc.prompt', ['OIDC_PROMPT_TYPE'], 'string', '(none)', 'Value of the prompt parameter (e.g. login).'),
  s('authentication.oidc.maxAgeSeconds', ['OIDC_MAX_AGE'], 'int', '(none)', 'max_age parameter: force re-authentication after this many seconds.'),
  s('authentication.oidc.postLogoutRedirectUri', ['GATEHOUSE_POST_LOGOUT_REDIRECT_URI'], 'string', '<publicUrl>/signin', 'Where the provider returns after logout; must match the provider setting exactly.'),
  s('authentication.oidc.groupsClaim', ['GATEHOUSE_GROUPS_CLAIM'], 'string', defaultText('authentication.oidc.groupsClaim'), 'Claim that holds group names (array or semicolon-delimited string).'),
  s('authentication.oidc.groupRoleMapping', ['GATEHOUSE_GROUP_ROLE_MAPPING'], 'json', '{}', 'JSON object group -> role name(s), e.g. {"data-stewards":["DataSteward"]}; every role must exist (start-up refuses unknown ones).'),
  s('authentication.oidc.rolesClaim', ['GATEHOUSE_ROLES_CLAIM'], 'string', defaultText('authentication.oidc.rolesClaim'), 'Claim holding role names when AUTHORIZER_USE_ROLES_FROM_PROVIDER is on.'),
  s('authentication.publicKeyUrls', ['AUTHENTICATION_PUBLIC_KEYS'], 'list', '[<publicUrl>/api/v1/system/config/jwks]', 'JWKS URLs whose tokens are trusted as bearer tokens, e.g. [https://<sub>.onelogin.com/oidc/2/certs, http://localhost:8585/api/v1/system/config/jwks].'),
  s('authentication.principalClaims', ['AUTHENTICATION_JWT_PRINCIPAL_CLAIMS'], 'list', defaultText('authentication.principalClaims'), 'Claims tried in order for the user name; the part before @, lower-cased.'),
  s('authentication.principalClaimsMapping', ['AUTHENTICATION_JWT_PRINCIPAL_CLAIMS_MAPPING'], 'list', defaultText('authentication.principalClaimsMapping'), '["username:<claim>","email:<claim>"]; both keys required when used.'),
  s('authentication.enableSelfSignup', ['AUTHENTICATION_ENABLE_SELF_SIGNUP'], 'bool', defaultText('authentication.enableSelfSignup'), 'Create users at their first single sign-on.'),
  s('authentication.tokenValidationAlgorithm', ['AUTHENTICATION_TOKEN_VALIDATION_ALGORITHM', 'OIDC_PREFERRED_JWS'], 'string', defaultText('authentication.tokenValidationAlgorithm'), 'RS256, RS384 or RS512 for provider tokens.'),
  s('authentication.clockSkewSeconds', ['OIDC_MAX_CLOCK_SKEW'], 'int', defaultText('authentication.clockSkewSeconds'), 'Allowed clock difference when checking exp/nbf/iat.'),
  s('authorizer.adminPrincipals', ['AUTHORIZER_ADMIN_PRINCIPALS'], 'list', defaultText('authorizer.adminPrincipals'), 'User names that are administrators (bootstrap accounts with basic auth).'),
  s('authorizer.principalDomain', ['AUTHORIZER_PRINCIPAL_DOMAIN'], 'string', '(none)', 'Domain of your users, e.g. example.com. Also the domain of the e-mail OpenMetadata\'s User shape shows for a user without one (open-metadata.org when unset).'),
  s('authorizer.enforcePrincipalDomain', ['AUTHORIZER_ENFORCE_PRINCIPAL_DOMAIN'], 'bool', defaultText('authorizer.enforcePrincipalDomain'), 'Refuse users whose e-mail is outside the principal (or allowed) domains.'),
  s('authorizer.allowedDomains', ['AUTHORIZER_ALLOWED_DOMAINS'], 'list', defaultText('authorizer.allowedDomains'), 'Domains allowed when enforcing; overrides the principal domain.'),
  s('authorizer.allowedRegistrationDomains', ['AUTHORIZER_ALLOWED_REGISTRATION_DOMAIN'], 'list', defaultText('authorizer.allowedRegistrationDomains'), 'E-mail domains allowed to be registered with basic auth.'),
  s('authorizer.useRolesFromProvider', ['AUTHORIZER_USE_ROLES_FROM_PROVIDER'], 'bool', defaultText('authorizer.useRolesFromProvider'), 'Take roles from the provider token\'s roles claim.'),
  s('jwt.issuer', ['JWT_ISSUER'], 'string', defaultText('jwt.issuer'), 'iss of tokens Gatehouse signs.'),
  s('jwt.keyId', ['JWT_KEY_ID'], 'string', '(derived from the key)', 'kid of the configured signing key.'),
  s('jwt.privateKeyFile', ['RSA_PRIVATE_KEY_FILE_PATH'], 'string', '(development: generated under dataDir)', 'RSA private key, PKCS#8 DER or PEM.'),
  s('jwt.publicKeyFile', ['RSA_PUBLIC_KEY_FILE_PATH'], 'string', '(derived from the private key)', 'RSA public key, X.509 DER or PEM; must match the private key.'),
  s('jwt.accessTokenTtlSeconds', ['JWT_TOKEN_EXPIRY_TIME', 'OM_JWT_EXPIRY_TIME'], 'int', defaultText('jwt.accessTokenTtlSeconds'), 'Lifetime of access tokens from password sign-in (jwtTokenExpiryTime).'),
  s('jwt.refreshTokenTtlSeconds', ['GATEHOUSE_REFRESH_TOKEN_TTL'], 'int', defaultText('jwt.refreshTokenTtlSeconds'), 'Lifetime of refresh tokens from password sign-in.'),
  s('jwt.allowUnlimitedTokens', ['GATEHOUSE_ALLOW_UNLIMITED_TOKENS'], 'bool', defaultText('jwt.allowUnlimitedTokens'), 'Allow bot and personal tokens without expiry.'),
  s('login.maxLoginFailAttempts', ['OM_MAX_FAILED_LOGIN_ATTEMPTS', 'MAX_LOGIN_FAIL_ATTEMPTS'], 'int', defaultText('login.maxLoginFailAttempts'), 'Failed password attempts before the account is blocked; also how many checks of one account may run at once (more get 429). Shared by every instance (database).'),
  s('login.accessBlockTimeSeconds', ['OM_LOGIN_ACCESS_BLOCK_TIME', 'ACCESS_BLOCK_TIME'], 'int', defaultText('login.accessBlockTimeSeconds'), 'How long (seconds) a blocked account stays blocked.'),
  s('login.rateLimitPerIpPerMinute', ['GATEHOUSE_LOGIN_RATE_LIMIT_PER_IP'], 'int', defaultText('login.rateLimitPerIpPerMinute'), 'Password sign-ins per minute from one client address (a burst of this many, then this rate); beyond it 429 with Retry-After. Per instance. 0 = no limit. Behind a proxy, set GATEHOUSE_TRUST_PROXY or every client shares the proxy\'s address.'),
  s('login.rateLimitPerAccountPerMinute', ['GATEHOUSE_LOGIN_RATE_LIMIT_PER_ACCOUNT'], 'int', defaultText('login.rateLimitPerAccountPerMinute'), 'Password sign-ins per minute for one login name (known or not); beyond it 429 with Retry-After. Per instance. 0 = no limit.'),
  s('login.passwordHashConcurrency', ['GATEHOUSE_PASSWORD_HASH_CONCURRENCY'], 'int', 'CPUs - 1, at most UV_THREADPOOL_SIZE - 1 (4 - 1), at least 1', 'Password hashes (argon2id) computed at once. The default leaves a core for request handling and a libuv pool thread for file and DNS work.'),
  s('login.passwordHashQueue', ['GATEHOUSE_PASSWORD_HASH_QUEUE'], 'int', defaultText('login.passwordHashQueue'), 'Password checks that may wait for a turn; beyond them 503 AUTH_SIGN_IN_BUSY with Retry-After, at once.'),
  s('login.minPasswordLength', ['GATEHOUSE_MIN_PASSWORD_LENGTH'], 'int', defaultText('login.minPasswordLength'), 'Shortest password accepted (8 to 128).'),
  s('sessions.absoluteSeconds', ['OIDC_SESSION_EXPIRY'], 'int', defaultText('sessions.absoluteSeconds'), 'Longest life of a browser session (minimum 3600).'),
  s('sessions.idleSeconds', ['GATEHOUSE_SESSION_IDLE_TIMEOUT'], 'int', defaultText('sessions.idleSeconds'), 'A session unused this long ends.'),
  s('sessions.providerRecheckSeconds', ['GATEHOUSE_PROVIDER_RECHECK_SECONDS'], 'int', defaultText('sessions.providerRecheckSeconds'), 'How often an SSO session is re-checked with the provider (refresh token); a refusal there ends the session. 0 = only on /api/v1/auth/refresh.'),
  s('sessions.maxPerUser', ['GATEHOUSE_MAX_SESSIONS_PER_USER'], 'int', `${defaultText('sessions.maxPerUser')} (no limit)`, 'Oldest sessions end beyond this many per user.'),
  s('bootstrap.admins', ['GATEHOUSE_BOOTSTRAP_ADMINS'], 'list', 'AUTHORIZER_ADMIN_PRINCIPALS', 'Which admin principals get a password account at first start (with password sign-in on); others become admins at their first single sign-on.'),
  s('bootstrap.adminPassword', ['GATEHOUSE_ADMIN_PASSWORD'], 'string', '(random, printed once)', 'Initial password of bootstrap admins; must be changed at first sign-in.', true),
  s('bootstrap.adminPasswordFile', ['GATEHOUSE_ADMIN_PASSWORD_FILE'], 'string', '(none)', 'File holding the initial admin password.'),
  s('gateway.default', ['GATEHOUSE_GATEWAY_DEFAULT'], 'string', defaultText('gateway.default'), 'What the gateway does with a request no access rule (gateway.rules, YAML only; see docs/gateway.md) matches: `deny` (403 for everyone) or `authenticated` (any signed-in user).'),
  s('gateway.returnHosts', ['GATEHOUSE_GATEWAY_RETURN_HOSTS'], 'list', defaultText('gateway.returnHosts'), 'Hosts the gateway may send people back to after sign-in, e.g. [data.example.com,*.apps.example.com] (`*.` = any subdomain; no scheme, port or path). Same-origin paths are always allowed.'),
  s('gateway.caseInsensitiveHosts', ['GATEHOUSE_GATEWAY_CASE_INSENSITIVE_HOSTS'], 'list', defaultText('gateway.caseInsensitiveHosts'), 'Hosts whose upstream ignores case in paths (`*` for all); access rules then match /ADMIN as /admin.'),
  s('gateway.upstream', ['GATEHOUSE_UPSTREAM'], 'string', '(none: no built-in proxy)', 'Origin of the upstream the built-in proxy serves, e.g. http://catalog:8585: every request that is not Gatehouse\'s own is checked against the access rules and forwarded there (docs/gateway.md, "Built-in proxy"). Per-path upstreams: gateway.upstreams in the YAML file, a list of { pathPrefix, url }.'),
  s('gateway.apiPrefix', ['GATEHOUSE_API_PREFIX'], 'string', '(none: the root)', 'Moves Gatehouse\'s API (/api/...) under this prefix, e.g. /gatehouse makes it /gatehouse/api/v1/..., so an upstream with its own /api (OpenMetadata) gets /api. The UI follows by itself; the sign-in pages stay where they are (docs/gateway.md, "Built-in proxy").'),
  s('gateway.forwardAuthorization', ['GATEHOUSE_PROXY_FORWARD_AUTHORIZATION'], 'bool', defaultText('gateway.forwardAuthorization'), 'Forward the caller\'s Authorization header to the upstream (by default it is removed; the upstream gets identity headers).'),
  s('gateway.proxyConnectTimeoutMs', ['GATEHOUSE_PROXY_CONNECT_TIMEOUT_MS'], 'int', defaultText('gateway.proxyConnectTimeoutMs'), 'How long the built-in proxy waits to connect to the upstream (then 504).'),
  s('gateway.proxyHeadersTimeoutMs', ['GATEHOUSE_PROXY_HEADERS_TIMEOUT_MS'], 'int', defaultText('gateway.proxyHeadersTimeoutMs'), 'How long the built-in proxy waits for the upstream\'s response headers (then 504). Bodies stream without a total limit.'),
  s('server.shutdownGraceSeconds', ['GATEHOUSE_SHUTDOWN_GRACE_SECONDS'], 'int', defaultText('server.shutdownGraceSeconds'), 'On SIGTERM: stop accepting, let in-flight requests finish for at most this long, then close the database and exit. Keep it below the orchestrator\'s grace period (Kubernetes: 30 s).'),
  s('metrics.token', ['GATEHOUSE_METRICS_TOKEN'], 'string', '(none)', 'Serves Prometheus metrics at /metrics on the main port to `Authorization: Bearer <token>` only (at least 32 characters). Without a token and without metrics.port, /metrics is open in development and absent in production.', true),
  s('metrics.port', ['GATEHOUSE_METRICS_PORT'], 'int', '(none)', 'Serves /metrics on this port of its own (same host), for scrapers inside the network only; the main port then has no /metrics. With metrics.token set too, the token is required there as well.'),
  s('encryptionKey', ['GATEHOUSE_ENCRYPTION_KEY'], 'string', '(development: generated under dataDir)', 'Base64 of 32 random bytes; encrypts provider refresh tokens and generated keys at rest. Required in production.', true),
];

/** Settings that are secrets, by path; `config check` and diagnostics show them as ***. */
export const SECRET_PATHS: ReadonlySet<string> = new Set(SETTINGS.filter((x) => x.secret).map((x) => x.path));
