import type { TokenAlgorithm } from '../shared/index.js';

/** The validated, frozen configuration. Built once by loadConfig(); nothing else reads process.env. */
export type Environment = 'development' | 'production';
export type ClientType = 'public' | 'confidential';
export type ClientAuthMethod = 'none' | 'client_secret_basic' | 'client_secret_post';
export type { TokenAlgorithm };

/** One OIDC provider. The SSO module uses this shape too (src/sso/provider-settings.ts). */
export interface OidcProviderConfig {
  /** Stable id used in URLs (?provider=) and role sources, e.g. "onelogin". */
  readonly id: string;
  /** Label of the sign-in button, e.g. "OneLogin". */
  readonly displayName: string;
  /** The issuer, exactly as the provider's discovery document names it. */
  readonly authority: string;
  readonly clientId: string;
  readonly clientType: ClientType;
  readonly clientSecret: string | null;
  readonly clientAuthMethod: ClientAuthMethod;
  /** Redirect URI registered at the provider, exactly. */
  readonly callbackUrl: string;
  /** Requested scopes; must include openid (default openid email profile; add groups for OneLogin groups). */
  readonly scopes: readonly string[];
  /** Extra authorization parameters (OIDC_CUSTOM_PARAMS); they can never replace the security parameters. */
  readonly customParams: Readonly<Record<string, string>>;
  readonly prompt: string | null;
  readonly maxAgeSeconds: number | null;
  readonly algorithms: readonly TokenAlgorithm[];
  readonly postLogoutRedirectUri: string | null;
  /** Claim holding groups (OneLogin: "groups", an array or a "a;b" string). */
  readonly groupsClaim: string;
  /** Group name -> role names. Only listed groups grant roles. */
  readonly groupRoleMapping: Readonly<Record<string, readonly string[]>>;
  /** Claim holding role names when authorizer.useRolesFromProvider is on. */
  readonly rolesClaim: string;
}

export interface GatehouseConfig {
  readonly environment: Environment;
  readonly version: string;
  /** OpenMetadata settings that were set but that Gatehouse does not act on (warned about at start). */
  readonly unsupportedSettings: readonly { readonly name: string; readonly reason: string }[];
  readonly server: {
    readonly host: string;
    readonly port: number;
    /** Origin people and the IdP use to reach Gatehouse, e.g. https://gatehouse.example.com. */
    readonly publicUrl: string;
    readonly trustProxy: boolean;
    readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
    readonly bodyLimitBytes: number;
    /** SIGTERM: how long in-flight requests may take before the process exits anyway. */
    readonly shutdownGraceSeconds: number;
  };
  /** Prometheus /metrics: a token (main port) and/or a port of its own; see docs/operations.md. */
  readonly metrics: { readonly token: string | null; readonly port: number | null };
  readonly dataDir: string;
  readonly database: { readonly url: string };
  readonly authentication: {
    readonly provider: string;
    readonly basic: { readonly enabled: boolean; readonly adminsOnly: boolean };
    readonly providers: readonly OidcProviderConfig[];
    readonly publicKeyUrls: readonly string[];
    readonly principalClaims: readonly string[];
    readonly principalClaimsMapping: { readonly username: string; readonly email: string } | null;
    readonly enableSelfSignup: boolean;
    readonly tokenValidationAlgorithm: TokenAlgorithm;
    readonly clockSkewSeconds: number;
  };
  readonly authorizer: {
    readonly adminPrincipals: readonly string[];
    readonly principalDomain: string | null;
    readonly enforcePrincipalDomain: boolean;
    readonly allowedDomains: readonly string[];
    readonly allowedRegistrationDomains: readonly string[];
    readonly useRolesFromProvider: boolean;
  };
  readonly jwt: {
    readonly issuer: string;
    readonly keyId: string | null;
    readonly privateKeyFile: string | null;
    readonly publicKeyFile: string | null;
    readonly accessTokenTtlSeconds: number;
    readonly refreshTokenTtlSeconds: number;
    readonly allowUnlimitedTokens: boolean;
  };
  readonly login: {
    readonly maxLoginFailAttempts: number;
    readonly accessBlockTimeSeconds: number;
    readonly minPasswordLength: number;
    /** 0 = no limit. */
    readonly rateLimitPerIpPerMinute: number;
    /** 0 = no limit. */
    readonly rateLimitPerAccountPerMinute: number;
    readonly passwordHashConcurrency: number;
    readonly passwordHashQueue: number;
  };
  readonly sessions: {
    readonly absoluteSeconds: number;
    readonly idleSeconds: number;
    readonly maxPerUser: number;
    readonly providerRecheckSeconds: number;
  };
  readonly bootstrap: {
    readonly admins: readonly string[];
    readonly adminPassword: string | null;
    readonly adminPasswordFile: string | null;
  };
  /** Key for encrypting secrets at rest (provider refresh tokens, generated signing keys). */
  readonly encryptionKey: string | null;
  readonly gateway: GatewayConfig;
}

/** One access rule as written under gateway.rules (its meaning is checked by src/gateway at start-up). */
export interface GatewayRuleConfig {
  readonly hosts?: readonly string[];
  readonly pathPrefix: string;
  readonly methods?: readonly string[];
  /** "public", "authenticated" or role names (any other text is reported by the start-up checks). */
  readonly allow: string | readonly string[];
}

/** Who may pass the gateway, and where it may send people back to. */
export interface GatewayConfig {
  readonly rules: readonly GatewayRuleConfig[];
  /** For requests no rule matches. */
  readonly default: 'deny' | 'authenticated';
  /** Hosts (or *.example.com) that sign-in may return to with an absolute URL. */
  readonly returnHosts: readonly string[];
  /** Hosts (or *.example.com, or *) whose upstream ignores case in paths. */
  readonly caseInsensitiveHosts: readonly string[];
  /** The assertion's audience per upstream host (YAML only); other hosts get their origin. */
  readonly audiences: readonly { readonly host: string; readonly audience: string }[];
  /** The built-in proxy's default upstream (an origin), or null: no proxy unless `upstreams` names some. */
  readonly upstream: string | null;
  /** Per-path upstreams (YAML only), prefixes never overlapping; they win over `upstream`. */
  readonly upstreams: readonly UpstreamConfig[];
  /** Where Gatehouse's API is mounted: '' (/api at the root) or a prefix such as /gatehouse (then /gatehouse/api). */
  readonly apiPrefix: string;
  /** Whether the proxy forwards the caller's Authorization header to the upstream. */
  readonly forwardAuthorization: boolean;
  readonly proxyConnectTimeoutMs: number;
  /** How long the proxy waits for the upstream's response headers (then 504). */
  readonly proxyHeadersTimeoutMs: number;
}

/** One per-path upstream of the built-in proxy. */
export interface UpstreamConfig {
  /** Whole-segment path prefix, e.g. /lineage. */
  readonly pathPrefix: string;
  /** Origin, e.g. http://marquez:5000. */
  readonly url: string;
}
