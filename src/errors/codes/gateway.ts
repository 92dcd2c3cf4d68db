import { defineErrors } from '../entry.js';

/** The gateway's rules: request targets it will not judge, and access rules that cannot be used. */
export const gatewayErrors = defineErrors({
  GATEWAY_TARGET_REFUSED: {
    status: 400,
    message: 'The request target cannot be judged safely and is refused.',
    fix: 'Send a plain path: no encoded slashes or backslashes (%2F, %5C, %3B), no backslashes or control characters, no method-override headers or _method parameter, and a plain host name. The detail names the part that was refused.',
  },
  GATEWAY_RULES_INVALID: {
    status: 500,
    message: 'The gateway access rules are not valid.',
    fix: 'Fix each listed rule under gateway.rules in the configuration file (run `gatehouse config check`); `gatehouse access explain` shows which rule decides a request.',
  },
  GATEWAY_UPSTREAM_UNAVAILABLE: {
    status: 502,
    message: 'The application behind Gatehouse cannot be reached.',
    fix: 'Check that the upstream (GATEHOUSE_UPSTREAM or gateway.upstreams) is running and reachable from Gatehouse at the configured address; the log names the upstream and the network error.',
  },
  GATEWAY_UPSTREAM_TIMEOUT: {
    status: 504,
    message: 'The application behind Gatehouse did not answer in time.',
    fix: 'Check the upstream\'s health and load; raise GATEHOUSE_PROXY_CONNECT_TIMEOUT_MS or GATEHOUSE_PROXY_HEADERS_TIMEOUT_MS if it is merely slow.',
  },
});
