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
});
