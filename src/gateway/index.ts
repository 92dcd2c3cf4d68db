export { canonicalTarget } from './canonical-target.js';
export type { CanonicalTarget, ForwardedRequest } from './canonical-target.js';
export { ADMIN_ROLE, createAccessPolicy } from './rules.js';
export type {
  AccessDecision, AccessOutcome, AccessPolicy, AccessPolicyInput, AccessRule, DecidingRule, DefaultAccess, Requester, RuleAllow,
} from './rules.js';
export { ruleProblems } from './validate-rules.js';
export { returnHostsFrom, safeReturnTarget } from './return-target.js';
export type { ReturnHosts } from './return-target.js';
