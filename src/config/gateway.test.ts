import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './load-config.js';

function load(yaml: string, env: Record<string, string> = {}) {
  const file = join(mkdtempSync(join(tmpdir(), 'gatehouse-gateway-')), 'gatehouse.yaml');
  writeFileSync(file, yaml);
  return loadConfig({ env, file });
}

describe('gateway settings', () => {
  it('defaults to no rules, deny, and no return hosts', () => {
    const result = loadConfig({ env: {} });
    expect(result.ok && result.config.gateway).toEqual({ rules: [], default: 'deny', returnHosts: [], caseInsensitiveHosts: [], audiences: [] });
  });

  it('reads rules from the YAML file and the simple settings from the environment', () => {
    const result = load(
      [
        'gateway:',
        '  default: authenticated',
        '  returnHosts: [data.example.com]',
        '  rules:',
        '    - { pathPrefix: /api, methods: [GET], allow: [DataConsumer] }',
        '    - { hosts: [ops.example.com], pathPrefix: /, allow: authenticated }',
        '    - pathPrefix: /healthz',
        '      allow: public',
        '  audiences: { data.example.com: catalog-api, "*.apps.example.com": " apps " }',
      ].join('\n'),
      { GATEHOUSE_GATEWAY_RETURN_HOSTS: 'a.example.com, *.b.example.com', GATEHOUSE_GATEWAY_CASE_INSENSITIVE_HOSTS: '*' },
    );
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.config.gateway).toEqual({
      rules: [
        { pathPrefix: '/api', methods: ['GET'], allow: ['DataConsumer'] },
        { hosts: ['ops.example.com'], pathPrefix: '/', allow: 'authenticated' },
        { pathPrefix: '/healthz', allow: 'public' },
      ],
      default: 'authenticated',
      returnHosts: ['a.example.com', '*.b.example.com'],
      caseInsensitiveHosts: ['*'],
      audiences: [{ host: 'data.example.com', audience: 'catalog-api' }, { host: '*.apps.example.com', audience: 'apps' }],
    });
  });

  it('refuses audiences that are not a map of hosts to text', () => {
    const list = load('gateway:\n  audiences: [a]\n');
    expect(list.ok ? [] : list.problems).toEqual([expect.stringMatching(/^gateway\.audiences in .* must map hosts to audiences/)]);
    const empty = load('gateway:\n  audiences: { a.example.com: "" , b.example.com: 5 }\n');
    expect(empty.ok ? [] : empty.problems).toEqual([
      expect.stringMatching(/^gateway\.audiences\["a\.example\.com"\] .* non-empty text$/),
      expect.stringMatching(/^gateway\.audiences\["b\.example\.com"\] .* non-empty text$/),
    ]);
  });

  it('lists every malformed rule and a bad default', () => {
    const result = load(
      ['gateway:', '  rules:', '    - /api', '    - { pathPrefix: 5, allow: public }', '    - { pathPrefix: /x }', '    - { pathPrefix: /y, allow: public, role: Admin, hosts: a.example.com }'].join('\n'),
      { GATEHOUSE_GATEWAY_DEFAULT: 'allow' },
    );
    expect(result.ok ? [] : result.problems).toEqual([
      expect.stringMatching(/^gateway\.rules\[0\] in .* must be an object/),
      expect.stringMatching(/^gateway\.rules\[1\]\.pathPrefix in .* must be text/),
      expect.stringMatching(/^gateway\.rules\[2\]\.allow in .* is required/),
      expect.stringMatching(/^gateway\.rules\[3\] in .*: unknown field "role"/),
      expect.stringMatching(/^gateway\.rules\[3\]\.hosts in .* must be a list/),
      'GATEHOUSE_GATEWAY_DEFAULT must be one of deny, authenticated; got "allow"',
    ]);
  });

  it('refuses rules that are not a list', () => {
    const result = load('gateway:\n  rules: { pathPrefix: /x }\n');
    expect(result.ok ? [] : result.problems).toEqual([expect.stringMatching(/^gateway\.rules in .* must be a list of rules$/)]);
  });
});
