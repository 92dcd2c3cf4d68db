/** Decoded claims whose types are not trusted yet: checking them is this module's job. */
type UncheckedClaims = Readonly<Record<string, unknown>>;

/** The JSON shape a claim must have when present. */
export type ClaimType = 'string' | 'numeric-date' | 'audience' | 'boolean' | 'string-list';

/** Registered claims (RFC 7519, section 4.1, and OIDC's azp): checked on every token, ours or a trusted issuer's. */
export const REGISTERED_CLAIM_TYPES: Readonly<Record<string, ClaimType>> = {
  iss: 'string',
  sub: 'string',
  aud: 'audience',
  jti: 'string',
  exp: 'numeric-date',
  nbf: 'numeric-date',
  iat: 'numeric-date',
  azp: 'string',
};

/** Gatehouse's own claims (OpenMetadata's names), checked on own tokens. A new claim is one line here. */
export const OWN_CLAIM_TYPES: Readonly<Record<string, ClaimType>> = {
  email: 'string',
  isBot: 'boolean',
  tokenType: 'string',
  roles: 'string-list',
  scope: 'string',
  /** The password sign-in a user access token belongs to (its refresh-token family): ending the sign-in refuses it. */
  sid: 'string',
};

/** Claims a token must carry. External tokens without exp would never expire, so they are refused. */
export const REQUIRED_CLAIMS = {
  own: ['iss', 'sub', 'iat', 'jti', 'tokenType', 'isBot', 'roles'],
  external: ['iss', 'sub', 'exp'],
} as const satisfies Record<string, readonly string[]>;

export const OWN_TOKEN_TYPES: readonly string[] = ['BOT', 'PERSONAL_ACCESS', 'OM_USER'];

export type TokenKind = keyof typeof REQUIRED_CLAIMS;

export interface ClaimProblem {
  claim: string;
  problem: string;
}

const isString = (value: unknown): value is string => typeof value === 'string';

const TYPE_CHECKS: Record<ClaimType, { test: (value: unknown) => boolean; expected: string }> = {
  string: { test: isString, expected: 'a string' },
  // A finite number: JSON's 1e400 parses to Infinity, which would make "exp" never come.
  'numeric-date': { test: (v) => typeof v === 'number' && Number.isFinite(v), expected: 'a number (seconds since 1970)' },
  audience: { test: (v) => isString(v) || (Array.isArray(v) && v.every(isString)), expected: 'a string or an array of strings' },
  boolean: { test: (v) => typeof v === 'boolean', expected: 'true or false' },
  'string-list': { test: (v) => Array.isArray(v) && v.every(isString), expected: 'an array of strings' },
};

function typeProblems(claims: UncheckedClaims, types: Readonly<Record<string, ClaimType>>): ClaimProblem[] {
  const problems: ClaimProblem[] = [];
  for (const [claim, type] of Object.entries(types)) {
    const value = claims[claim];
    if (value === undefined) continue;
    const check = TYPE_CHECKS[type];
    if (!check.test(value)) problems.push({ claim, problem: `must be ${check.expected}, got ${JSON.stringify(value)?.slice(0, 60)}` });
  }
  return problems;
}

/** What own tokens mean: a known type, isBot exactly for bot tokens, scope only on personal tokens, exp on user tokens. */
function ownRuleProblems(claims: UncheckedClaims): ClaimProblem[] {
  const problems: ClaimProblem[] = [];
  const tokenType = claims['tokenType'];
  if (isString(tokenType) && !OWN_TOKEN_TYPES.includes(tokenType)) problems.push({ claim: 'tokenType', problem: `must be one of ${OWN_TOKEN_TYPES.join(', ')}` });
  if (typeof claims['isBot'] === 'boolean' && claims['isBot'] !== (tokenType === 'BOT')) problems.push({ claim: 'isBot', problem: 'must be true exactly for BOT tokens' });
  if (claims['scope'] !== undefined && tokenType !== 'PERSONAL_ACCESS') problems.push({ claim: 'scope', problem: 'only personal access tokens carry a scope' });
  if (claims['sid'] !== undefined && tokenType !== 'OM_USER') problems.push({ claim: 'sid', problem: 'only user access tokens carry a sign-in' });
  if (isString(claims['sid']) && (claims['sid'].length === 0 || claims['sid'].length > 64)) problems.push({ claim: 'sid', problem: 'must be 1 to 64 characters' });
  // Only bot and personal tokens may be Unlimited; a user access token without exp is forged or broken.
  if (claims['exp'] === undefined && tokenType === 'OM_USER') problems.push({ claim: 'exp', problem: 'user access tokens always expire' });
  return problems;
}

/**
 * Every claim problem of a token, in a stable order: types, then missing claims, then own-token rules. The one list the
 * verifier refuses on and `gatehouse token inspect` explains; empty when the claims are acceptable. Times are not
 * judged here (that needs a clock and the skew).
 */
export function findClaimProblems(claims: UncheckedClaims, kind: TokenKind): ClaimProblem[] {
  const problems = typeProblems(claims, kind === 'own' ? { ...REGISTERED_CLAIM_TYPES, ...OWN_CLAIM_TYPES } : REGISTERED_CLAIM_TYPES);
  for (const claim of REQUIRED_CLAIMS[kind]) {
    if (claims[claim] === undefined) problems.push({ claim, problem: 'is missing' });
  }
  return kind === 'own' ? [...problems, ...ownRuleProblems(claims)] : problems;
}
