import { decodeJwt } from 'jose';
import type { Principal } from '../authz/index.js';
import { isGatehouseError } from '../errors/index.js';
import type { TokenService } from './token-service.js';
// The bearer path's own bound: nothing longer can be a token Gatehouse accepts.
import { MAX_TOKEN_CHARS } from './verify-bearer.js';


/** RFC 7662 §2.2: the whole answer for a token that is not active - never a reason. */
export interface InactiveToken {
  readonly active: false;
}

/** RFC 7662 §2.2 for an active token, plus the OpenMetadata claims a catalog uses (email, roles, isBot, tokenType). */
export interface ActiveToken {
  readonly active: true;
  readonly sub: string;
  readonly username: string;
  readonly token_type: 'Bearer';
  readonly iss: string;
  readonly iat?: number;
  readonly exp?: number;
  readonly jti?: string;
  readonly client_id?: string;
  /** Space-separated permissions, only when the token was limited to them (a scoped personal token). */
  readonly scope?: string;
  readonly email?: string;
  readonly roles: string[];
  readonly isBot: boolean;
  /** BOT, PERSONAL_ACCESS, OM_USER, or EXTERNAL for a trusted issuer's token. */
  readonly tokenType: string;
}

export type Introspection = InactiveToken | ActiveToken;

const INACTIVE: InactiveToken = Object.freeze({ active: false });

const TOKEN_TYPES: Record<Principal['method'], string> = {
  'bot-token': 'BOT',
  'personal-token': 'PERSONAL_ACCESS',
  'user-token': 'OM_USER',
  'external-token': 'EXTERNAL',
  // Never the result of authenticate(); listed because the table covers every method.
  session: 'SESSION',
};

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);
const seconds = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/**
 * Token introspection (RFC 7662). The verdict is exactly the API's bearer verdict - `tokens.authenticate()`, with its
 * cache, revocation, ended sign-ins and disabled users - so a token is active here if and only if it would be accepted
 * as `Authorization: Bearer`. Every refusal answers the same `{ active: false }`: the caller learns nothing about why.
 */
export function createIntrospection(deps: { tokens: Pick<TokenService, 'authenticate'> }) {
  return {
    async introspect(token: string): Promise<Introspection> {
      if (token.length === 0 || token.length > MAX_TOKEN_CHARS) return INACTIVE;
      let principal: Principal;
      try {
        principal = await deps.tokens.authenticate(token);
      } catch (error) {
        // Only the token's own refusals mean "inactive"; a database outage must stay an error (503), not a verdict.
        if (isGatehouseError(error) && error.code.startsWith('AUTH_TOKEN_')) return INACTIVE;
        throw error;
      }
      // The signature was verified by authenticate() (now, or when the same token - same hash - was cached), so the
      // claims can be read without verifying again.
      const claims = decodeJwt(token);
      const external = principal.method === 'external-token';
      const scope = !external && principal.method === 'personal-token' ? text(claims['scope']) : undefined;
      const clientId = external ? text(claims['azp']) : undefined;
      const answer: ActiveToken = {
        active: true,
        sub: text(claims.sub) ?? principal.name,
        username: principal.name,
        token_type: 'Bearer',
        iss: String(claims.iss),
        ...optional('iat', seconds(claims.iat)),
        ...optional('exp', seconds(claims.exp)),
        ...optional('jti', text(claims.jti)),
        ...optional('client_id', clientId),
        ...optional('scope', scope),
        ...optional('email', principal.email ?? undefined),
        roles: [...principal.roles],
        isBot: principal.isBot,
        tokenType: TOKEN_TYPES[principal.method],
      };
      return answer;
    },
  };
}

/** Leaves the member out instead of sending `undefined` (exactOptionalPropertyTypes). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

export type TokenIntrospection = ReturnType<typeof createIntrospection>;
