export { canonicalTarget } from './canonical-target.js';
export type { CanonicalTarget, ForwardedRequest } from './canonical-target.js';
export { createAccessPolicy } from './rules.js';
export type { AccessPolicy, AccessPolicyInput } from './rules.js';
export { ADMIN_ROLE } from './rule-types.js';
export type { AccessDecision, AccessOutcome, AccessRule, DecidingRule, DefaultAccess, Requester, RuleAllow } from './rule-types.js';
export { ruleProblems } from './validate-rules.js';
export { returnHostsFrom, safeReturnTarget } from './return-target.js';
export type { ReturnHosts } from './return-target.js';
