import { isGatehouseError } from '../errors/index.js';
import { canonicalPath } from './canonical-path.js';
import { normaliseHostPattern } from './host.js';
import { ADMIN_ROLE, type AccessRule, type RuleAllow } from './rule-types.js';

/** A rule ready to match: hosts and prefix in canonical form. */
export interface CompiledRule {
  readonly index: number;
  /** Normalised host patterns; null = any host. */
  readonly hosts: readonly string[] | null;
  /** Canonical prefix without a trailing slash ("/" for everything). */
  readonly prefix: string;
  readonly methods: ReadonlySet<string> | null;
  readonly allow: RuleAllow;
  /** e.g. `gateway.rules[2] (any host, /admin, any method -> roles Admin)`. */
  readonly text: string;
  /** The prefix as compared for this host (lower-cased where the upstream ignores case). */
  prefixFor(host: string): string;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT']);
// Spellings an upstream would normalise away: a prefix written this way could never match a canonical path.
const NOT_CANONICAL = /;|\/\/|\/\.\.?(\/|$)|%2e|%2f|%5c/i;

function ruleText(rule: AccessRule, index: number): string {
  const hosts = rule.hosts ? rule.hosts.join(',') : 'any host';
  const methods = rule.methods ? rule.methods.join(',') : 'any method';
  const allow = typeof rule.allow === 'string' ? rule.allow : `roles ${rule.allow.join(',')}`;
  return `gateway.rules[${index}] (${hosts}, ${rule.pathPrefix}, ${methods} -> ${allow})`;
}

function canonicalPrefix(prefix: string): string {
  const path = canonicalPath(prefix, false);
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

// Validation refuses any other text; were it ever compiled, a rule with no role lets nobody pass.
function allowOf(allow: AccessRule['allow']): RuleAllow {
  if (allow === 'public' || allow === 'authenticated') return allow;
  return typeof allow === 'string' ? [] : allow;
}

/** Compiles one rule that ruleProblems() accepted. */
export function compileRule(rule: AccessRule, index: number, caseInsensitive: (host: string) => boolean): CompiledRule {
  const prefix = canonicalPrefix(rule.pathPrefix);
  const lower = prefix.toLowerCase();
  return {
    index,
    hosts: rule.hosts ? rule.hosts.map((h) => normaliseHostPattern(h) ?? h) : null,
    prefix,
    methods: rule.methods ? new Set(rule.methods.map((m) => m.toUpperCase())) : null,
    allow: allowOf(rule.allow),
    text: ruleText(rule, index),
    prefixFor: (host) => (caseInsensitive(host) ? lower : prefix),
  };
}

function ownProblems(rule: AccessRule, index: number, roleNames: ReadonlySet<string>): string[] {
  const at = `gateway.rules[${index}]`;
  const problems: string[] = [];
  if (typeof rule.pathPrefix !== 'string' || !rule.pathPrefix.startsWith('/')) problems.push(`${at}: pathPrefix must start with "/"`);
  else if (NOT_CANONICAL.test(rule.pathPrefix)) problems.push(`${at}: pathPrefix "${rule.pathPrefix}" holds ";", "//", dot segments or encoded separators; write the path as the upstream sees it`);
  else {
    try {
      canonicalPrefix(rule.pathPrefix);
    } catch (error) {
      if (!isGatehouseError(error)) throw error;
      problems.push(`${at}: pathPrefix "${rule.pathPrefix}" is refused: ${error.detail ?? error.message}`);
    }
  }
  if (rule.hosts !== undefined) {
    if (rule.hosts.length === 0) problems.push(`${at}: hosts is empty; leave it out for any host`);
    for (const host of rule.hosts.filter((h) => normaliseHostPattern(h) === null)) problems.push(`${at}: "${host}" is not a host name or *.domain pattern (no ports, schemes or paths)`);
  }
  if (rule.methods !== undefined) {
    if (rule.methods.length === 0) problems.push(`${at}: methods is empty; leave it out for any method`);
    for (const method of rule.methods.filter((m) => !METHODS.has(m.toUpperCase()))) problems.push(`${at}: "${method}" is not an HTTP method`);
  }
  if (typeof rule.allow === 'string') {
    if (rule.allow !== 'public' && rule.allow !== 'authenticated') problems.push(`${at}: allow must be public, authenticated or a list of roles; got "${rule.allow}"`);
  } else if (rule.allow.length === 0) problems.push(`${at}: allow lists no role; nobody could pass`);
  else {
    for (const role of rule.allow.filter((r) => r !== ADMIN_ROLE && !roleNames.has(r))) {
      problems.push(`${at}: the role "${role}" does not exist (role names are case-sensitive; existing roles: ${[ADMIN_ROLE, ...roleNames].sort().join(', ')}; ${ADMIN_ROLE} means administrators)`);
    }
  }
  return problems;
}

function sameAllow(a: RuleAllow, b: RuleAllow): boolean {
  // Role lists compare as sets: [A, B] and [B, A] let the same people pass.
  return typeof a === 'string' || typeof b === 'string' ? a === b : [...a].sort().join() === [...b].sort().join();
}

/**
 * Rules that can never decide, or that tie: two rules with the same prefix and host pattern and the same kind of method
 * list are tried in file order, so the later one is unreachable where the earlier covers its methods, and a partial
 * overlap with a different outcome is reported because file order, not specificity, would decide it.
 */
function orderProblems(rules: readonly CompiledRule[]): string[] {
  const problems: string[] = [];
  for (const later of rules) {
    const hosts = later.hosts ?? ['*'];
    const shadowedBy = new Map<string, CompiledRule>();
    for (const earlier of rules.filter((r) => r.index < later.index && r.prefix === later.prefix && (r.methods === null) === (later.methods === null))) {
      for (const host of hosts.filter((h) => (earlier.hosts ?? ['*']).includes(h))) {
        const shared = later.methods === null ? null : [...later.methods].filter((m) => earlier.methods?.has(m));
        if (shared === null || shared.length === later.methods?.size) {
          if (!shadowedBy.has(host)) shadowedBy.set(host, earlier);
        } else if (shared.length > 0 && !sameAllow(earlier.allow, later.allow)) {
          problems.push(`${later.text} overlaps ${earlier.text} for ${host === '*' ? 'any host' : host} and ${shared.join(',')} with a different outcome; split the methods so each request has one rule`);
        }
      }
    }
    if (shadowedBy.size === hosts.length && hosts.length > 0) {
      const first = [...shadowedBy.values()][0];
      problems.push(`${later.text} is unreachable: ${first?.text ?? 'an earlier rule'} matches every request it would and comes first; remove or change one`);
    } else {
      for (const [host, earlier] of shadowedBy) problems.push(`${later.text} never applies to ${host}: ${earlier.text} comes first for it`);
    }
  }
  return problems;
}

/** Every problem in a rule list (config style: all listed, each naming the rule); [] when it can be used. */
export function ruleProblems(rules: readonly AccessRule[], roleNames: ReadonlySet<string>, caseInsensitiveHosts: readonly string[]): string[] {
  const own = rules.map((rule, index) => ownProblems(rule, index, roleNames));
  const problems = own.flat();
  for (const pattern of caseInsensitiveHosts.filter((p) => p !== '*' && normaliseHostPattern(p) === null)) {
    problems.push(`gateway.caseInsensitiveHosts: "${pattern}" is not a host name or *.domain pattern`);
  }
  const usable = rules.flatMap((rule, index) => (own[index]?.length === 0 ? [compileRule(rule, index, () => false)] : []));
  return [...problems, ...orderProblems(usable)];
}
