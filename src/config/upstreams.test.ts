import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './load-config.js';

function load(yaml: string, env: Record<string, string> = {}) {
  const file = join(mkdtempSync(join(tmpdir(), 'gatehouse-upstreams-')), 'gatehouse.yaml');
  writeFileSync(file, yaml);
  return loadConfig({ env, file });
}

describe('built-in proxy settings', () => {
  it('reads the default upstream from the environment and per-path upstreams from the file', () => {
    const result = load('gateway:\n  upstreams:\n    - { pathPrefix: /lineage, url: "http://marquez:5000/" }\n    - { pathPrefix: /search, url: "https://search.internal" }\n', {
      GATEHOUSE_UPSTREAM: 'http://catalog:8585',
      GATEHOUSE_API_PREFIX: '/gatehouse',
      GATEHOUSE_PROXY_FORWARD_AUTHORIZATION: 'true',
      GATEHOUSE_PROXY_HEADERS_TIMEOUT_MS: '1500',
    });
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.config.gateway).toMatchObject({
      upstream: 'http://catalog:8585',
      upstreams: [{ pathPrefix: '/lineage', url: 'http://marquez:5000' }, { pathPrefix: '/search', url: 'https://search.internal' }],
      apiPrefix: '/gatehouse',
      forwardAuthorization: true,
      proxyHeadersTimeoutMs: 1500,
    });
  });

  it('lists every bad URL, bad prefix and overlap at once', () => {
    const result = load(
      [
        'gateway:',
        '  upstreams:',
        '    - { pathPrefix: /lineage, url: "http://marquez:5000" }',
        '    - { pathPrefix: /lineage/v2, url: "http://other:1" }',
        '    - { pathPrefix: /lineage, url: "http://again:1" }',
        '    - { pathPrefix: "lineage", url: "http://x:1" }',
        '    - { pathPrefix: /a/../b, url: "http://x:1" }',
        '    - { pathPrefix: /creds, url: "http://u:p@x:1" }',
        '    - { pathPrefix: /path, url: "http://x:1/sub" }',
        '    - { pathPrefix: /scheme, url: "ftp://x" }',
        '    - { pathPrefix: /gatehouse, url: "http://x:2" }',
      ].join('\n'),
      { GATEHOUSE_UPSTREAM: 'not a url', GATEHOUSE_API_PREFIX: '/gatehouse' },
    );
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems.some((p) => p.startsWith('GATEHOUSE_UPSTREAM must be an absolute URL'))).toBe(true);
    expect(problems.filter((p) => p.includes('overlaps /lineage'))).toHaveLength(2);
    expect(problems.some((p) => p.includes('gateway.upstreams[3]') && p.includes('must be a path like /lineage'))).toBe(true);
    expect(problems.some((p) => p.includes('gateway.upstreams[4]') && p.includes('must be a path like /lineage'))).toBe(true);
    expect(problems.some((p) => p.includes('gateway.upstreams[5]') && p.includes('user name or password'))).toBe(true);
    expect(problems.some((p) => p.includes('gateway.upstreams[6]') && p.includes('origin only'))).toBe(true);
    expect(problems.some((p) => p.includes('gateway.upstreams[7]') && p.includes('http or https'))).toBe(true);
    expect(problems.some((p) => p.includes("overlaps Gatehouse's API prefix /gatehouse"))).toBe(true);
  });
});
