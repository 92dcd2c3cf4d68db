export { systemClock, frozenClock } from './clock.js';
export type { Clock } from './clock.js';
export { silentLogger } from './logger.js';
export type { Logger } from './logger.js';
export { GATEHOUSE_VERSION } from './version.js';
export { isAcceptableEndpoint, isLoopbackHost, isLoopbackUrl, LOOPBACK_DESCRIPTION } from './loopback.js';
export {
  EXTERNAL_TOKEN_ALGORITHMS, ID_TOKEN_ALGORITHMS, isAllowedAlgorithm, OWN_SIGNING_ALGORITHM, OWN_TOKEN_ALGORITHMS,
} from './algorithms.js';
export type { TokenAlgorithm } from './algorithms.js';
export { noMetrics } from './metrics.js';
export type { Metrics } from './metrics.js';
export { INPUT_LIMITS, NAME_RULE, NAME_RULE_WORDS, suggestName } from './input-limits.js';
export { ADMIN_PAGE_PATHS } from './ui-pages.js';
export type { AdminPagePath } from './ui-pages.js';
export { nextEntityVersion } from './entity-version.js';
