import type { OidcProviderConfig } from '../config/index.js';

/** Whether a provider's discovery works now and which JWKS key ids are known (the SSO service's checkProvider). */
export type ProviderCheck = (providerId: string) => Promise<{ ok: boolean; error?: string; jwksKids: string[] }>;

/** One provider as the diagnostics page and `config check --online` report it. */
export interface ProviderProbe {
  id: string;
  displayName: string;
  issuer: string;
  discovery: { ok: boolean; error?: string };
  jwksKids: string[];
  /** The provider's clock minus ours, in seconds; null when it could not be measured. */
  clockSkewSeconds: number | null;
}

/** The provider's clock minus ours, from the Date header of its discovery document (1-second resolution). */
export async function measureClockSkew(authority: string, now: () => number): Promise<number | null> {
  try {
    const started = now();
    const res = await fetch(`${authority}/.well-known/openid-configuration`, { method: 'GET', signal: AbortSignal.timeout(5000), redirect: 'error' });
    await res.body?.cancel();
    const date = res.headers.get('date');
    if (!date) return null;
    const midpoint = (started + now()) / 2;
    return Math.round((Date.parse(date) - midpoint) / 1000);
  } catch {
    return null;
  }
}

/** Reaches every provider at once: discovery and keys through `check`, clock skew from the discovery response. */
export function probeProviders(providers: readonly OidcProviderConfig[], check: ProviderCheck, now: () => number = () => Date.now()): Promise<ProviderProbe[]> {
  return Promise.all(
    providers.map(async (p) => {
      const [result, skew] = await Promise.all([check(p.id), measureClockSkew(p.authority, now)]);
      return {
        id: p.id, displayName: p.displayName, issuer: p.authority,
        discovery: result.ok ? { ok: true } : { ok: false, error: result.error ?? 'INTERNAL' },
        jwksKids: result.jwksKids, clockSkewSeconds: skew,
      };
    }),
  );
}

/** What `config check --online` refuses in the probes: no discovery, no signing keys, a clock beyond the allowed skew. */
export function probeProblems(probes: readonly ProviderProbe[], allowedSkewSeconds: number): string[] {
  const problems: string[] = [];
  for (const probe of probes) {
    const where = `provider "${probe.id}" (${probe.issuer})`;
    if (!probe.discovery.ok) {
      problems.push(`${where}: discovery failed with ${probe.discovery.error ?? 'INTERNAL'} (see docs/errors.md); check the authority and that this machine can reach the provider.`);
      continue;
    }
    if (probe.jwksKids.length === 0) problems.push(`${where}: its JWKS (jwks_uri) could not be read or lists no signing key with a key id; ID tokens could not be verified.`);
    if (probe.clockSkewSeconds !== null && Math.abs(probe.clockSkewSeconds) > allowedSkewSeconds) {
      problems.push(`${where}: its clock differs from ours by ${probe.clockSkewSeconds} s, more than OIDC_MAX_CLOCK_SKEW (${allowedSkewSeconds} s); synchronise this machine's clock (NTP).`);
    }
  }
  return problems;
}
