import { describe, expect, it } from 'vitest';
import { GatehouseError } from '../errors/index.js';
import { canonicalTarget } from './canonical-target.js';
import type { AccessRule, Requester } from './rule-types.js';
import { createAccessPolicy, type AccessPolicy, type AccessPolicyInput } from './rules.js';
import { ruleProblems } from './validate-rules.js';

const ROLES = new Set(['DataConsumer', 'DataSteward']);
const CONSUMER: Requester = { roles: ['DataConsumer'], isAdmin: false };
const STEWARD: Requester = { roles: ['DataSteward'], isAdmin: false };
// Administrators are a flag on the user, named Admin in rules.
const ADMIN: Requester = { roles: [], isAdmin: true };

// The example: reads for DataConsumer, writes for DataSteward, /admin for Admin, health endpoints public.
const RULES: AccessRule[] = [
  { pathPrefix: '/api', methods: ['GET'], allow: ['DataConsumer', 'DataSteward', 'Admin'] },
  { pathPrefix: '/api', allow: ['DataSteward', 'Admin'] },
  { pathPrefix: '/admin', allow: ['Admin'] },
  { pathPrefix: '/healthz', allow: 'public' },
  { pathPrefix: '/api/v1/health', methods: ['GET'], allow: 'public' },
  { hosts: ['ops.example.com'], pathPrefix: '/', allow: ['Admin'] },
  { hosts: ['*.example.com'], pathPrefix: '/', allow: 'authenticated' },
];

function policy(overrides: Partial<AccessPolicyInput> = {}): AccessPolicy {
  return createAccessPolicy({ rules: RULES, defaultAccess: 'deny', roleNames: ROLES, caseInsensitiveHosts: [], ...overrides });
}

function judge(p: AccessPolicy, method: string, url: string, requester: Requester, headers: Record<string, string> = {}) {
  const { host, pathname, search } = new URL(url);
  const target = url.slice(url.indexOf(host) + host.length) || `${pathname}${search}`;
  const canonical = canonicalTarget({ method, host, target, headers, trustForwardedHost: false, caseInsensitive: p.caseInsensitive });
  return p.decide(canonical, requester);
}

describe('access rules: most specific rule decides', () => {
  const p = policy();
  it.each([
    ['GET', 'https://data.example.org/api/v1/tables', CONSUMER, 'allow', 0],
    ['HEAD', 'https://data.example.org/api/v1/tables', CONSUMER, 'allow', 0],
    ['POST', 'https://data.example.org/api/v1/tables', CONSUMER, 'forbidden', 1],
    ['POST', 'https://data.example.org/api/v1/tables', STEWARD, 'allow', 1],
    ['DELETE', 'https://data.example.org/api/v1/tables', null, 'deny-unauthenticated', 1],
    ['GET', 'https://data.example.org/admin/users', STEWARD, 'forbidden', 2],
    ['GET', 'https://data.example.org/admin', ADMIN, 'allow', 2],
    ['GET', 'https://data.example.org/healthz', null, 'allow', 3],
    // Longer prefix wins: the health endpoint is public although /api is not.
    ['GET', 'https://data.example.org/api/v1/health', null, 'allow', 4],
    ['POST', 'https://data.example.org/api/v1/health', null, 'deny-unauthenticated', 1],
    // Exact host before wildcard host; at equal prefix the host decides.
    ['GET', 'https://ops.example.com/anything', STEWARD, 'forbidden', 5],
    ['GET', 'https://wiki.example.com/anything', STEWARD, 'allow', 6],
    // ... but a longer prefix still wins over a host rule for "/".
    ['GET', 'https://ops.example.com/healthz', null, 'allow', 3],
  ] as const)('%s %s (%j) -> %s by rule %i', (method, url, requester, outcome, index) => {
    const decision = judge(p, method, url, requester);
    expect(decision.outcome).toBe(outcome);
    expect(decision.rule?.index).toBe(index);
    expect(decision.rule?.text).toContain(`gateway.rules[${index}]`);
  });

  it('matches prefixes on whole segments only', () => {
    expect(judge(p, 'GET', 'https://data.example.org/administrator', null)).toMatchObject({ outcome: 'forbidden', rule: null });
    expect(judge(p, 'GET', 'https://data.example.org/healthzz', null)).toMatchObject({ outcome: 'forbidden', rule: null });
  });

  it('lets administrators pass only rules that list Admin', () => {
    expect(judge(p, 'DELETE', 'https://data.example.org/api/v1/tables', ADMIN)).toMatchObject({ outcome: 'allow', rule: { index: 1 } });
    const stewardsOnly = policy({ rules: [{ pathPrefix: '/lineage', allow: ['DataSteward'] }] });
    expect(judge(stewardsOnly, 'GET', 'https://data.example.org/lineage', ADMIN).outcome).toBe('forbidden');
  });

  it('applies the default to requests no rule matches', () => {
    expect(judge(p, 'GET', 'https://other.example.org/x', ADMIN)).toEqual({ outcome: 'forbidden', rule: null, reason: 'no rule matches; the default (deny) decides' });
    const open = policy({ defaultAccess: 'authenticated' });
    expect(judge(open, 'GET', 'https://other.example.org/x', CONSUMER).outcome).toBe('allow');
    expect(judge(open, 'GET', 'https://other.example.org/x', null).outcome).toBe('deny-unauthenticated');
  });
});

describe('access rules: no spelling of a protected path slips past its rule', () => {
  const p = policy();
  // Each is /admin (or under it) as a servlet upstream routes it; a steward must be refused, never allowed by another rule.
  it.each([
    '/admin/users', '//admin/users', '/./admin/users', '/healthz/../admin/users', '/healthz/%2e%2e/admin/users',
    '/healthz/.%2E/admin', '/healthz/..;/admin', '/admin;jsessionid=1/users', '/%61dmin', '/admin/', '///admin',
  ])('%s is judged by the /admin rule', (path) => {
    expect(judge(p, 'GET', `https://data.example.org${path}`, STEWARD)).toMatchObject({ outcome: 'forbidden', rule: { index: 2 } });
  });

  it('CVE-2024-28255: the encoded slash hidden in a matrix parameter is refused, not matched against another rule', () => {
    expect(() => judge(p, 'GET', 'https://data.example.org/healthz;v1%2fusers/../admin', null)).toThrow(GatehouseError);
    // Without the encoded slash the matrix parameter is dropped and the real path is judged.
    expect(judge(p, 'PUT', 'https://data.example.org/api/v1;v1/users/name/admin', CONSUMER)).toMatchObject({ outcome: 'forbidden', rule: { index: 1 } });
  });

  it('judges a double-encoded dot segment as a literal segment, never as ".."', () => {
    expect(judge(p, 'GET', 'https://data.example.org/healthz/%252e%252e/admin', null)).toMatchObject({ outcome: 'allow', rule: { index: 3 } });
  });

  it('lower-cases paths for upstreams that ignore case, so /ADMIN meets the /admin rule', () => {
    const sensitive = judge(p, 'GET', 'https://data.example.org/ADMIN/users', STEWARD);
    expect(sensitive).toMatchObject({ outcome: 'forbidden', rule: null });
    const insensitive = policy({ caseInsensitiveHosts: ['data.example.org'] });
    expect(judge(insensitive, 'GET', 'https://data.example.org/ADMIN/users', STEWARD)).toMatchObject({ outcome: 'forbidden', rule: { index: 2 } });
    expect(judge(insensitive, 'GET', 'https://data.example.org/AdMiN', ADMIN)).toMatchObject({ outcome: 'allow', rule: { index: 2 } });
    const upper = policy({ rules: [{ pathPrefix: '/Admin', allow: ['Admin'] }], caseInsensitiveHosts: ['*'] });
    expect(judge(upper, 'GET', 'https://x.example.org/admin', STEWARD)).toMatchObject({ outcome: 'forbidden', rule: { index: 0 } });
  });

  it('refuses method overrides instead of judging the GET', () => {
    expect(() => judge(p, 'GET', 'https://data.example.org/api/v1/tables/1', CONSUMER, { 'x-http-method-override': 'DELETE' })).toThrow(GatehouseError);
    expect(() => judge(p, 'GET', 'https://data.example.org/api/v1/tables/1?_method=DELETE', CONSUMER)).toThrow(GatehouseError);
  });

  it('judges the forwarded host, not a client-sent X-Forwarded-Host', () => {
    const canonical = canonicalTarget({
      method: 'GET', host: 'ops.example.com', target: '/x', headers: { 'x-forwarded-host': 'wiki.example.com' }, trustForwardedHost: false, caseInsensitive: () => false,
    });
    expect(p.decide(canonical, STEWARD)).toMatchObject({ outcome: 'forbidden', rule: { index: 5 } });
  });
});

describe('access rules: validation lists every problem', () => {
  it('accepts the example rules', () => {
    expect(ruleProblems(RULES, ROLES, ['*.example.com', '*'])).toEqual([]);
  });

  it('reports bad prefixes, hosts, methods, allow values and unknown roles, each naming its rule', () => {
    const rules = [
      { pathPrefix: 'admin', allow: 'public' },
      { pathPrefix: '/a/../b', allow: 'public' },
      { pathPrefix: '/a;x', allow: 'public' },
      { pathPrefix: '/a%2fb', allow: 'public' },
      { pathPrefix: '/a\\b', allow: 'public' },
      { pathPrefix: '/ok', hosts: ['https://x.example.com', 'x.example.com:443', '*.'], allow: 'public' },
      { pathPrefix: '/ok2', methods: ['FETCH'], allow: 'anyone' },
      { pathPrefix: '/ok3', allow: ['admin', 'Admin'] },
      { pathPrefix: '/ok4', allow: [] },
    ] as unknown as AccessRule[];
    const problems = ruleProblems(rules, ROLES, ['not a host']);
    expect(problems[10]).toBe('gateway.rules[7]: the role "admin" does not exist (role names are case-sensitive; existing roles: Admin, DataConsumer, DataSteward; Admin means administrators)');
    expect(problems).toEqual([
      'gateway.rules[0]: pathPrefix must start with "/"',
      expect.stringMatching(/^gateway\.rules\[1\]: pathPrefix "\/a\/\.\.\/b" holds/),
      expect.stringMatching(/^gateway\.rules\[2\]: pathPrefix "\/a;x" holds/),
      expect.stringMatching(/^gateway\.rules\[3\]: pathPrefix "\/a%2fb" holds/),
      expect.stringMatching(/^gateway\.rules\[4\]: pathPrefix "\/a\\b" is refused/),
      expect.stringContaining('gateway.rules[5]: "https://x.example.com" is not a host name'),
      expect.stringContaining('gateway.rules[5]: "x.example.com:443" is not a host name'),
      expect.stringContaining('gateway.rules[5]: "*." is not a host name'),
      'gateway.rules[6]: "FETCH" is not an HTTP method',
      'gateway.rules[6]: allow must be public, authenticated or a list of roles; got "anyone"',
      expect.stringContaining('gateway.rules[7]: the role "admin" does not exist'),
      'gateway.rules[8]: allow lists no role; nobody could pass',
      'gateway.caseInsensitiveHosts: "not a host" is not a host name or *.domain pattern',
    ]);
  });

  it('reports rules shadowed by an earlier rule of the same specificity', () => {
    const problems = ruleProblems(
      [
        { pathPrefix: '/api', allow: 'authenticated' },
        { pathPrefix: '/api/', allow: ['Admin'] },
        { pathPrefix: '/x', methods: ['GET', 'POST'], allow: 'public' },
        { pathPrefix: '/x', methods: ['post'], allow: 'public' },
        { hosts: ['a.example.com', 'b.example.com'], pathPrefix: '/y', allow: 'public' },
        { hosts: ['A.example.com.'], pathPrefix: '/y', allow: ['Admin'] },
        { hosts: ['a.example.com', 'c.example.com'], pathPrefix: '/y', allow: 'public' },
      ],
      ROLES,
      [],
    );
    expect(problems).toEqual([
      expect.stringMatching(/^gateway\.rules\[1\] .* is unreachable: gateway\.rules\[0\] /),
      expect.stringMatching(/^gateway\.rules\[3\] .* is unreachable: gateway\.rules\[2\] /),
      expect.stringMatching(/^gateway\.rules\[5\] .* is unreachable: gateway\.rules\[4\] /),
      expect.stringMatching(/^gateway\.rules\[6\] .* never applies to a\.example\.com: gateway\.rules\[4\] /),
    ]);
  });

  it('reports overlapping method lists with different outcomes at the same specificity', () => {
    const problems = ruleProblems(
      [
        { pathPrefix: '/z', methods: ['GET', 'POST'], allow: 'public' },
        { pathPrefix: '/z', methods: ['POST', 'PUT'], allow: ['Admin'] },
        { pathPrefix: '/w', methods: ['GET', 'POST'], allow: 'public' },
        { pathPrefix: '/w', methods: ['POST', 'PUT'], allow: 'public' },
      ],
      ROLES,
      [],
    );
    expect(problems).toEqual([expect.stringMatching(/^gateway\.rules\[1\] .* overlaps gateway\.rules\[0\] .* for any host and POST with a different outcome/)]);
  });

  it('createAccessPolicy refuses invalid rules with GATEWAY_RULES_INVALID listing them', () => {
    expect(() => policy({ rules: [{ pathPrefix: '/a', allow: ['Nobody'] }] })).toThrow(
      expect.objectContaining({ code: 'GATEWAY_RULES_INVALID', detail: expect.stringContaining('the role "Nobody" does not exist') }),
    );
  });
});
