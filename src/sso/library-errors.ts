import * as oidc from 'openid-client';
import { GatehouseError, isGatehouseError, type ErrorCode } from '../errors/index.js';
import type { TokenCheck } from './jwt-checks.js';

export type Stage = 'discovery' | 'exchange' | 'userinfo' | 'refresh';

const STAGE_DEFAULT: Record<Stage, ErrorCode> = {
  discovery: 'SSO_PROVIDER_UNAVAILABLE',
  exchange: 'SSO_CODE_EXCHANGE_FAILED',
  userinfo: 'SSO_USERINFO_FAILED',
  // A refusal to refresh is found by refreshRefusal() first; what is left is an answer we could not use.
  refresh: 'SSO_PROVIDER_UNAVAILABLE',
};

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT']);
// openid-client's codes for "the answer is not a token response" (HTML error page, wrong status, unparseable body).
const NOT_AN_ANSWER = new Set(['OAUTH_RESPONSE_IS_NOT_JSON', 'OAUTH_RESPONSE_IS_NOT_CONFORM', 'OAUTH_PARSE_ERROR']);
// The claim openid-client names in its JWT errors -> our check name (the same names as our own ID token checks).
const CLAIM_CHECKS: Record<string, TokenCheck> = {
  iss: 'issuer', aud: 'audience', azp: 'azp', exp: 'expiry', iat: 'issued-at', nbf: 'not-before', sub: 'subject', auth_time: 'auth-time',
  alg: 'algorithm', typ: 'type',
};

/** True when the error (or one of its causes) is a connection problem or a timeout, not an answer. */
export function isNetworkError(err: unknown): boolean {
  let current: unknown = err;
  for (let depth = 0; depth < 6 && current; depth++) {
    if (current instanceof Error) {
      const code = (current as { code?: unknown }).code;
      if (current.name === 'AbortError' || current.name === 'TimeoutError') return true;
      if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
      if (current instanceof TypeError && /fetch failed|network/i.test(current.message)) return true;
      current = current.cause;
    } else {
      return false;
    }
  }
  return false;
}

/** Provider error codes are shown to people and logged: keep only a short, plain token. */
export function sanitizeProviderCode(value: unknown): string {
  return typeof value === 'string' && /^[A-Za-z0-9_.:-]{1,64}$/.test(value) ? value : 'unknown_error';
}

function statusOf(err: unknown): number | undefined {
  const candidate = err instanceof oidc.ClientError ? err.cause : err;
  return candidate instanceof Response ? candidate.status : undefined;
}

// 5xx and 429 mean "not now", not "no".
const isRefusalStatus = (status: number | undefined) => status === undefined || (status < 500 && status !== 429);

/**
 * The provider's "no" to a refresh grant, as a short reason for the log, or undefined when it did not really answer
 * (network error, timeout, 5xx, 429): a refusal ends the session, an outage must not. A 4xx with an OAuth error
 * (invalid_grant, invalid_client, unauthorized_client...), a 401 challenge, or an answer that is not JSON all say no.
 */
export function refreshRefusal(err: unknown): string | undefined {
  if (isNetworkError(err)) return undefined;
  if (err instanceof oidc.ResponseBodyError) return isRefusalStatus(err.status) ? sanitizeProviderCode(err.error) : undefined;
  if (err instanceof oidc.WWWAuthenticateChallengeError) return isRefusalStatus(err.status) ? `challenge (${err.status})` : undefined;
  if (err instanceof oidc.ClientError && NOT_AN_ANSWER.has(err.code ?? '')) {
    const status = statusOf(err);
    return isRefusalStatus(status) ? `not a token response (${err.code ?? ''}, status ${status ?? 'unknown'})` : undefined;
  }
  return undefined;
}

/** Which ID token check an openid-client message is about (it names the claim or header in quotes). */
function checkInMessage(message: string): TokenCheck {
  const named = /"(iss|aud|azp|exp|iat|nbf|sub|auth_time|alg|typ)"/.exec(message)?.[1];
  return named ? (CLAIM_CHECKS[named] ?? 'signature') : 'signature';
}

/**
 * Maps an openid-client error at a given step to Gatehouse's specific codes; the library's words go to `internal`
 * only, with the failed ID token check named as `check`. Unknown errors map to the step's default, so nothing escapes
 * uncoded.
 */
export function classifyLibraryError(err: unknown, stage: Stage, providerId: string): GatehouseError {
  if (isGatehouseError(err)) return err;
  const internal: Record<string, unknown> = { provider: providerId, stage, message: err instanceof Error ? err.message : String(err) };
  const make = (code: ErrorCode, extra: Record<string, unknown> = {}) =>
    new GatehouseError(code, undefined, { cause: err, internal: { ...internal, ...extra } });
  if (isNetworkError(err)) return make('SSO_PROVIDER_UNAVAILABLE');
  if (err instanceof oidc.ResponseBodyError || err instanceof oidc.WWWAuthenticateChallengeError) {
    const error = err instanceof oidc.ResponseBodyError ? sanitizeProviderCode(err.error) : 'challenge';
    if (err.status >= 500) return make('SSO_PROVIDER_UNAVAILABLE', { status: err.status, error });
    return make(STAGE_DEFAULT[stage], { status: err.status, error });
  }
  if (err instanceof oidc.ClientError) {
    const inner = err.cause instanceof Error ? err.cause : undefined;
    const innerCause = (inner as { cause?: { claim?: unknown; attribute?: unknown } } | undefined)?.cause;
    const innerMessage = inner?.message ?? '';
    internal['libraryCode'] = err.code;
    internal['detail'] = innerMessage;
    const claimCheck = (claim: unknown): TokenCheck => CLAIM_CHECKS[String(claim)] ?? 'signature';
    switch (err.code) {
      case 'OAUTH_RESPONSE_IS_NOT_CONFORM':
      case 'OAUTH_RESPONSE_IS_NOT_JSON': {
        const status = statusOf(err);
        if (status !== undefined && status >= 500) return make('SSO_PROVIDER_UNAVAILABLE', { status });
        return make(stage === 'discovery' ? 'SSO_PROVIDER_MISCONFIGURED' : STAGE_DEFAULT[stage], { status });
      }
      case 'OAUTH_JWT_CLAIM_COMPARISON_FAILED': {
        const claim = innerCause?.claim;
        if (claim === 'nonce') return make('SSO_NONCE_MISMATCH', { check: 'nonce', reason: 'nonce differs from the one sent' });
        return make('SSO_ID_TOKEN_INVALID', { check: claimCheck(claim), reason: `claim ${String(claim)} refused` });
      }
      case 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED':
        return make('SSO_ID_TOKEN_INVALID', { check: claimCheck(innerCause?.claim), reason: `timestamp ${String(innerCause?.claim)} refused` });
      case 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED':
        if (stage === 'userinfo') return make('SSO_USERINFO_SUB_MISMATCH', { reason: 'userinfo sub differs from the ID token sub' });
        if (stage === 'discovery') return make('SSO_PROVIDER_MISCONFIGURED', { reason: `discovery ${String(innerCause?.attribute)} differs` });
        return make(STAGE_DEFAULT[stage]);
      case 'OAUTH_HTTP_REQUEST_FORBIDDEN':
      case 'OAUTH_REQUEST_PROTOCOL_FORBIDDEN':
        return make('SSO_PROVIDER_MISCONFIGURED', { reason: 'endpoint is not https' });
      case 'OAUTH_INVALID_RESPONSE':
      case 'OAUTH_PARSE_ERROR':
        if (stage === 'exchange' && /"nonce"/.test(innerMessage)) return make('SSO_NONCE_MISMATCH', { check: 'nonce', reason: 'nonce missing' });
        if ((stage === 'exchange' || stage === 'refresh') && /JWT|ID Token|id_token/.test(innerMessage)) {
          return make('SSO_ID_TOKEN_INVALID', { check: checkInMessage(innerMessage), reason: innerMessage });
        }
        return make(stage === 'discovery' ? 'SSO_PROVIDER_MISCONFIGURED' : STAGE_DEFAULT[stage]);
      default:
        return make(STAGE_DEFAULT[stage]);
    }
  }
  return make(STAGE_DEFAULT[stage]);
}
