import { hostMatches, hostSpecificity, normaliseHostPattern } from './host.js';

/** Which audience an upstream host's assertion names: the most specific configured pattern, else null (its origin). */
export type AudienceFor = (host: string) => string | null;

/** Compiles gateway.audiences once; returns the bad host patterns too, so start-up can list them. */
export function audiencesFrom(entries: readonly { host: string; audience: string }[]): { audienceFor: AudienceFor; problems: string[] } {
  const problems: string[] = [];
  const compiled: { pattern: string; audience: string }[] = [];
  for (const entry of entries) {
    const pattern = normaliseHostPattern(entry.host);
    if (pattern === null) problems.push(`gateway.audiences: "${entry.host}" is not a host name or *.domain pattern (no scheme, port or path)`);
    else compiled.push({ pattern, audience: entry.audience });
  }
  // Exact hosts before wildcards, longer wildcards before shorter ones: as the access rules pick hosts.
  compiled.sort((a, b) => hostSpecificity(b.pattern) - hostSpecificity(a.pattern));
  return { audienceFor: (host) => compiled.find((c) => hostMatches(c.pattern, host))?.audience ?? null, problems };
}
