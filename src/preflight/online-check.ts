import type { GatehouseConfig } from '../config/index.js';
import { GatehouseError } from '../errors/index.js';
import { silentLogger, systemClock } from '../shared/index.js';
import { createProviderRegistry } from '../sso/index.js';
import { probeProblems, probeProviders, type ProviderProbe } from './provider-probe.js';
import { providerSettingsFrom } from './startup-checks.js';

/**
 * `config check --online`: discovery through the same registry sign-in uses, then the provider's JWKS read through the
 * registry's own key cache (as an ID token check would), and the clock skew as the diagnostics page measures it.
 * Call only when startupProblems found no provider problem (the registry refuses such settings).
 */
export async function checkProvidersOnline(config: GatehouseConfig, options: { timeoutSeconds?: number } = {}): Promise<{ probes: ProviderProbe[]; problems: string[] }> {
  const registry = createProviderRegistry({
    providers: providerSettingsFrom(config), production: config.environment === 'production', clock: systemClock, logger: silentLogger,
    clockSkewSeconds: config.authentication.clockSkewSeconds, timeoutSeconds: options.timeoutSeconds ?? 10,
  });
  const probes = await probeProviders(config.authentication.providers, async (id) => {
    const discovery = await registry.check(id);
    if (!discovery.ok) return discovery;
    const resolved = await registry.resolve(id);
    try {
      // Any key lookup loads the JWKS; only a failure to load it matters here (a missing kid is expected).
      await resolved.keys.getKey({ alg: resolved.settings.algorithms[0] ?? 'RS256' });
    } catch (error) {
      if (error instanceof GatehouseError) return { ok: true, jwksKids: [] };
    }
    return { ok: true, jwksKids: resolved.keys.kids() };
  });
  return { probes, problems: probeProblems(probes, config.authentication.clockSkewSeconds) };
}
