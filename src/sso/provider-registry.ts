import * as oidc from 'openid-client';
import { DEFAULTS } from '../config/index.js';
import { GatehouseError } from '../errors/index.js';
import { JWKS_DEFAULTS } from '../jwks/index.js';
import type { Clock, Logger } from '../shared/index.js';
import { createJwksCache, type FetchLike, type JwksCache } from './jwks-cache.js';
import { classifyLibraryError } from './library-errors.js';
import { isAcceptableEndpoint, providerProblems, type ProviderSettings } from './provider-settings.js';

/** A provider after discovery: settings, the openid-client configuration and its signing keys. */
export interface ResolvedProvider {
  readonly settings: ProviderSettings;
  readonly configuration: oidc.Configuration;
  readonly metadata: Readonly<oidc.ServerMetadata>;
  readonly keys: JwksCache;
  /** Allowed clock difference for this provider, seconds. */
  readonly clockSkewSeconds: number;
}

export interface ProviderRegistryOptions {
  providers: readonly ProviderSettings[];
  /** Production mode: https everywhere, no loopback exception. */
  production: boolean;
  clock: Clock;
  logger: Logger;
  /** OIDC_MAX_CLOCK_SKEW, default 60 s. */
  clockSkewSeconds?: number;
  /** Injected HTTP client (tests; proxies). Default: global fetch. */
  fetch?: FetchLike;
  /** Per-request timeout to the provider, default 10 s. */
  timeoutSeconds?: number;
  /** After a failed discovery, callers get the same error without a new attempt for this long (default 5 s). */
  retryAfterSeconds?: number;
  /** Discovery is redone in the background after this long (default 24 h). */
  metadataMaxAgeSeconds?: number;
}

interface Entry {
  resolved?: ResolvedProvider;
  resolvedAt?: number;
  inflight?: Promise<ResolvedProvider>;
  failure?: { at: number; error: GatehouseError };
}

function clientAuth(p: ProviderSettings): oidc.ClientAuth {
  if (p.clientAuthMethod === 'client_secret_basic') return oidc.ClientSecretBasic(p.clientSecret ?? '');
  if (p.clientAuthMethod === 'client_secret_post') return oidc.ClientSecretPost(p.clientSecret ?? '');
  // Public client (OneLogin "None (PKCE)"): client_id in the body, no secret; sending both ways is an error there.
  return oidc.None();
}

/**
 * The configured providers, discovered lazily (first use), validated, cached, and retried: a provider that is down
 * yields SSO_PROVIDER_UNAVAILABLE for its own sign-ins only; nothing else waits on it and nothing crashes.
 */
export function createProviderRegistry(options: ProviderRegistryOptions) {
  const { clock, logger, production } = options;
  const fetchImpl: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
  const skewDefault = options.clockSkewSeconds ?? DEFAULTS['authentication.clockSkewSeconds'];
  const retryMs = (options.retryAfterSeconds ?? 5) * 1000;
  const maxAgeMs = (options.metadataMaxAgeSeconds ?? 86_400) * 1000;
  const problems = options.providers.flatMap((p) => providerProblems(p, production));
  if (problems.length > 0) throw new GatehouseError('CONFIG_INVALID', `\n  - ${problems.join('\n  - ')}`);
  const byId = new Map(options.providers.map((p) => [p.id, p]));
  const entries = new Map<string, Entry>();

  async function discover(p: ProviderSettings): Promise<ResolvedProvider> {
    const skew = p.clockSkewSeconds ?? skewDefault;
    const metadata: Partial<oidc.ClientMetadata> = { [oidc.clockTolerance]: skew };
    if (p.algorithms.length === 1 && p.algorithms[0]) metadata.id_token_signed_response_alg = p.algorithms[0];
    const insecure = new URL(p.authority).protocol === 'http:';
    let configuration: oidc.Configuration;
    try {
      configuration = await oidc.discovery(new URL(p.authority), p.clientId, metadata, clientAuth(p), {
        [oidc.customFetch]: (url, init) => fetchImpl(url, init as RequestInit),
        timeout: options.timeoutSeconds ?? 10,
        // Only reachable for loopback http outside production (checked by providerProblems at start-up).
        execute: insecure ? [oidc.allowInsecureRequests] : [],
      });
    } catch (err) {
      throw classifyLibraryError(err, 'discovery', p.id);
    }
    const server = configuration.serverMetadata();
    const fail = (reason: string, extra: Record<string, unknown> = {}) =>
      new GatehouseError('SSO_PROVIDER_MISCONFIGURED', undefined, { internal: { provider: p.id, reason, ...extra } });
    // Exact string equality: the library normalises URLs (a trailing "/" would pass there), we do not.
    if (server.issuer !== p.authority) throw fail('discovery issuer differs from the configured authority', { expected: p.authority, received: server.issuer });
    for (const name of ['authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const) {
      if (!server[name]) throw fail(`discovery has no ${name}`);
    }
    for (const name of ['authorization_endpoint', 'token_endpoint', 'jwks_uri', 'userinfo_endpoint', 'end_session_endpoint'] as const) {
      const value = server[name];
      if (value !== undefined && !isAcceptableEndpoint(value, production)) throw fail(`${name} is not https`, { url: value });
    }
    const keys = createJwksCache({
      jwksUri: server.jwks_uri as string, providerId: p.id, algorithms: p.algorithms, clock, fetch: fetchImpl, logger,
      // The JWKS cache's own time-out (5 s) holds; a shorter provider time-out applies to the keys too.
      timeoutMs: Math.min((options.timeoutSeconds ?? 10) * 1000, JWKS_DEFAULTS.timeoutMs),
    });
    return { settings: p, configuration, metadata: server, keys, clockSkewSeconds: skew };
  }

  function start(id: string, entry: Entry, p: ProviderSettings): Promise<ResolvedProvider> {
    const attempt = discover(p).then(
      (resolved) => {
        entry.resolved = resolved;
        entry.resolvedAt = clock.now();
        delete entry.failure;
        return resolved;
      },
      (err: unknown) => {
        const error = classifyLibraryError(err, 'discovery', id);
        entry.failure = { at: clock.now(), error };
        logger.warn({ provider: id, code: error.code, ...error.internal }, 'OIDC discovery failed');
        throw error;
      },
    );
    entry.inflight = attempt.finally(() => {
      delete entry.inflight;
    });
    return entry.inflight;
  }

  function settings(id: string): ProviderSettings {
    const p = byId.get(id);
    if (!p) throw new GatehouseError('SSO_PROVIDER_UNKNOWN');
    return p;
  }

  /** Discovered provider; discovery runs on first use and again after a failure (not more than once per retry window). */
  async function resolve(id: string): Promise<ResolvedProvider> {
    const p = settings(id);
    let entry = entries.get(id);
    if (!entry) entries.set(id, (entry = {}));
    const now = clock.now();
    if (entry.resolved) {
      if (!entry.inflight && now - (entry.resolvedAt ?? 0) >= maxAgeMs) {
        // Stale metadata: refresh in the background and keep serving the known one (a failure only logs).
        start(id, entry, p).catch(() => {});
      }
      return entry.resolved;
    }
    if (entry.inflight) return entry.inflight;
    if (entry.failure && now - entry.failure.at < retryMs) throw entry.failure.error;
    return start(id, entry, p);
  }

  return {
    /** Providers for the sign-in page (id and button label). */
    list(): { id: string; displayName: string }[] {
      return options.providers.map((p) => ({ id: p.id, displayName: p.displayName }));
    },
    settings,
    /** The provider whose issuer is exactly `iss` (IdP-initiated sign-in: OneLogin opens /signin?iss=...). */
    forIssuer(iss: string): ProviderSettings | undefined {
      return options.providers.find((p) => p.authority === iss);
    },
    resolve,
    /** For diagnostics: whether discovery works now and which key ids are known. Never throws. */
    async check(id: string): Promise<{ ok: boolean; error?: string; jwksKids: string[] }> {
      try {
        const resolved = await resolve(id);
        return { ok: true, jwksKids: resolved.keys.kids() };
      } catch (err) {
        return { ok: false, error: err instanceof GatehouseError ? err.code : 'INTERNAL', jwksKids: [] };
      }
    },
  };
}

export type ProviderRegistry = ReturnType<typeof createProviderRegistry>;
