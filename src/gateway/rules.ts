import { GatehouseError } from '../errors/index.js';
import type { CanonicalTarget } from './canonical-target.js';
import { hostMatches, hostSpecificity } from './host.js';
import { ADMIN_ROLE, type AccessDecision, type AccessOutcome, type AccessRule, type DefaultAccess, type Requester } from './rule-types.js';
import { compileRule, ruleProblems, type CompiledRule } from './validate-rules.js';

/** A checked rule list that decides requests. */
export interface AccessPolicy {
  readonly rules: readonly CompiledRule[];
  decide(target: CanonicalTarget, requester: Requester): AccessDecision;
  /** Whether the upstream behind this host ignores case in paths. */
  caseInsensitive(host: string): boolean;
}

export interface AccessPolicyInput {
  readonly rules: readonly AccessRule[];
  readonly defaultAccess: DefaultAccess;
  /** Role names that exist (roles are data); a rule naming another role (or `Admin`) is refused. */
  readonly roleNames: ReadonlySet<string>;
  /** Hosts (or `*.example.com`, or `*` for all) whose upstream ignores case in paths. */
  readonly caseInsensitiveHosts: readonly string[];
}

function prefixMatches(prefix: string, path: string): boolean {
  return prefix === '/' || path === prefix || path.startsWith(`${prefix}/`);
}

function methodMatches(methods: ReadonlySet<string> | null, method: string): boolean {
  return methods === null || methods.has(method) || (method === 'HEAD' && methods.has('GET'));
}

/**
 * The order rules are tried in, most specific first: longer path prefix, then the more specific host (exact before
 * `*.example.com`, before any host), then rules that name methods before rules for any method, then file order.
 */
function specificity(rule: CompiledRule, host: string): number[] | null {
  let best = -1;
  if (rule.hosts === null) best = hostSpecificity(null);
  else for (const pattern of rule.hosts) if (hostMatches(pattern, host)) best = Math.max(best, hostSpecificity(pattern));
  return best < 0 ? null : [rule.prefix.length, best, rule.methods === null ? 0 : 1, -rule.index];
}

function outcomeOf(rule: CompiledRule, requester: Requester): AccessOutcome {
  if (rule.allow === 'public') return 'allow';
  if (requester === null) return 'deny-unauthenticated';
  if (rule.allow === 'authenticated') return 'allow';
  const passes = rule.allow.some((role) => requester.roles.includes(role) || (role === ADMIN_ROLE && requester.isAdmin));
  return passes ? 'allow' : 'forbidden';
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

/**
 * Checks the rules (every problem listed under GATEWAY_RULES_INVALID) and returns the policy that decides requests.
 * A request no rule matches gets `defaultAccess`: deny (forbidden for everyone) or authenticated.
 */
export function createAccessPolicy(input: AccessPolicyInput): AccessPolicy {
  const problems = ruleProblems(input.rules, input.roleNames, input.caseInsensitiveHosts);
  if (problems.length > 0) throw new GatehouseError('GATEWAY_RULES_INVALID', `\n  - ${problems.join('\n  - ')}`);
  const insensitive = input.caseInsensitiveHosts;
  const caseInsensitive = (host: string) => insensitive.some((p) => p === '*' || hostMatches(p, host));
  const rules = input.rules.map((rule, index) => compileRule(rule, index, caseInsensitive));
  return {
    rules,
    caseInsensitive,
    decide(target, requester) {
      let winner: { rule: CompiledRule; key: number[] } | null = null;
      for (const rule of rules) {
        if (!methodMatches(rule.methods, target.method) || !prefixMatches(rule.prefixFor(target.host), target.path)) continue;
        const key = specificity(rule, target.host);
        if (key && (!winner || compare(key, winner.key) > 0)) winner = { rule, key };
      }
      if (!winner) {
        const outcome: AccessOutcome = input.defaultAccess === 'authenticated' && requester !== null ? 'allow'
          : input.defaultAccess === 'authenticated' ? 'deny-unauthenticated' : 'forbidden';
        return { outcome, rule: null, reason: `no rule matches; the default (${input.defaultAccess}) decides` };
      }
      const outcome = outcomeOf(winner.rule, requester);
      return { outcome, rule: { index: winner.rule.index, text: winner.rule.text }, reason: `rule ${winner.rule.text} decides` };
    },
  };
}
