/** Where the built-in proxy sends a request: per-path upstreams first, then the default one. */
export interface UpstreamTable {
  readonly upstream: string | null;
  readonly upstreams: readonly { readonly pathPrefix: string; readonly url: string }[];
}

/**
 * The upstream for a canonical path (the path the rules judged), by whole segments: `/lineage` takes `/lineage` and
 * `/lineage/x`, never `/lineages`. Null when no upstream serves the path. Prefixes never overlap (checked at start-up).
 */
export function chooseUpstream(path: string, table: UpstreamTable): string | null {
  for (const entry of table.upstreams) {
    if (path === entry.pathPrefix || path.startsWith(`${entry.pathPrefix}/`)) return entry.url;
  }
  return table.upstream;
}

/** Whether the built-in proxy is on at all. */
export function proxyConfigured(table: UpstreamTable): boolean {
  return table.upstream !== null || table.upstreams.length > 0;
}
