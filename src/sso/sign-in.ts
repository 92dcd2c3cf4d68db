import * as oidc from 'openid-client';
import { randomSecret, safeEqual, sha256Hex } from '../crypto/index.js';
import { GatehouseError } from '../errors/index.js';
import type { Clock, Logger } from '../shared/index.js';
import type { OidcTransactionRow, OidcTransactionStore } from '../storage/index.js';
import { normaliseGroups } from './groups.js';
import { verifyIdToken } from './id-token.js';
import { classifyLibraryError, sanitizeProviderCode } from './library-errors.js';
import type { ProviderRegistry, ResolvedProvider } from './provider-registry.js';
import { safeReturnPath } from './return-path.js';
import type { CompletedSignIn, CompleteSignInInput, SignInLimits, StartedSignIn, StartSignInInput } from './sign-in-types.js';
import { createTransactionGuard } from './transaction-guard.js';
import { fetchVerifiedUserInfo, mergeClaims } from './userinfo.js';

// Parameters that carry the flow's security; OIDC_CUSTOM_PARAMS may never replace them.
const RESERVED = new Set(['client_id', 'redirect_uri', 'response_type', 'response_mode', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method', 'request', 'request_uri']);
const SINGLE_VALUED = ['code', 'state', 'iss', 'error'];

export interface SignInFlowDeps {
  registry: ProviderRegistry;
  transactions: OidcTransactionStore;
  clock: Clock;
  logger: Logger;
  limits?: SignInLimits;
}

/** Server-side authorization code flow with state, nonce and PKCE (S256) always, for public and confidential clients. */
export function createSignInFlow(deps: SignInFlowDeps) {
  const { registry, transactions, clock, logger } = deps;
  const ttlSeconds = deps.limits?.transactionSeconds ?? 600;
  const guard = createTransactionGuard({ transactions, clock, logger, limits: deps.limits ?? {} });

  async function startSignIn(input: StartSignInInput): Promise<StartedSignIn> {
    const settings = registry.settings(input.providerId);
    const clientKey = sha256Hex(input.clientKey || 'unknown');
    await guard.admit(clientKey);
    // Resolve before storing anything: a provider that is down must not leave rows behind.
    const provider = await registry.resolve(settings.id);
    const transactionId = randomSecret(32);
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const now = clock.now();
    const row: OidcTransactionRow = {
      id_hash: sha256Hex(transactionId), client_key: clientKey, provider_id: settings.id, issuer: settings.authority,
      state, nonce, code_verifier: codeVerifier, return_to: safeReturnPath(input.returnTo), created_at: now,
      expires_at: now + ttlSeconds * 1000,
    };
    await transactions.insert(row);
    const params: Record<string, string> = {};
    for (const [key, value] of Object.entries(settings.customParams)) {
      if (RESERVED.has(key)) logger.warn({ provider: settings.id, param: key }, 'custom authorization parameter ignored: it would replace a security parameter');
      else params[key] = value;
    }
    if (settings.prompt) params['prompt'] = settings.prompt;
    if (settings.maxAgeSeconds !== null) params['max_age'] = String(settings.maxAgeSeconds);
    Object.assign(params, {
      response_type: 'code', redirect_uri: settings.callbackUrl, scope: settings.scopes.join(' '), state, nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256',
    });
    const url = oidc.buildAuthorizationUrl(provider.configuration, params);
    return { authorizationUrl: url.href, transactionId, cookieMaxAgeSeconds: ttlSeconds };
  }

  /** Checks the callback parameters against the transaction before anything is sent to the provider. */
  function checkCallback(params: URLSearchParams, tx: OidcTransactionRow, provider: ResolvedProvider): void {
    for (const key of SINGLE_VALUED) {
      if (params.getAll(key).length > 1) throw new GatehouseError('SSO_STATE_MISMATCH', undefined, { internal: { reason: `parameter ${key} repeated` } });
    }
    const iss = params.get('iss');
    // RFC 9207: an iss parameter names who answered; it must be the provider this transaction was started with.
    if (iss !== null && iss !== tx.issuer) throw new GatehouseError('SSO_ISSUER_MISMATCH', undefined, { internal: { received: iss, expected: tx.issuer } });
    if (iss === null && provider.metadata.authorization_response_iss_parameter_supported === true) {
      throw new GatehouseError('SSO_ISSUER_MISMATCH', undefined, { internal: { reason: 'iss parameter missing although the provider sends it' } });
    }
    const state = params.get('state');
    const error = params.get('error');
    if (error !== null && (state === null || safeEqual(state, tx.state))) {
      const code = sanitizeProviderCode(error);
      throw new GatehouseError('SSO_PROVIDER_ERROR', `The provider answered "${code}".`, {
        internal: { providerError: code, description: params.get('error_description')?.slice(0, 300) },
      });
    }
    if (state === null || !safeEqual(state, tx.state)) throw new GatehouseError('SSO_STATE_MISMATCH');
    if (!params.get('code')) throw new GatehouseError('SSO_CODE_EXCHANGE_FAILED', undefined, { internal: { reason: 'no code in the callback' } });
  }

  async function exchangeAndVerify(tx: OidcTransactionRow, params: URLSearchParams): Promise<CompletedSignIn> {
    const settings = registry.settings(tx.provider_id);
    if (settings.authority !== tx.issuer) throw new GatehouseError('SSO_ISSUER_MISMATCH', undefined, { internal: { reason: 'provider issuer changed during the sign-in' } });
    const provider = await registry.resolve(settings.id);
    checkCallback(params, tx, provider);
    // The redirect_uri sent to the token endpoint is the configured one, never rebuilt from proxy headers.
    const currentUrl = new URL(settings.callbackUrl);
    currentUrl.search = params.toString();
    let tokens: oidc.TokenEndpointResponse;
    try {
      tokens = await oidc.authorizationCodeGrant(provider.configuration, currentUrl, {
        pkceCodeVerifier: tx.code_verifier, expectedState: tx.state, expectedNonce: tx.nonce, idTokenExpected: true,
        ...(settings.maxAgeSeconds !== null ? { maxAge: settings.maxAgeSeconds } : {}),
      });
    } catch (err) {
      throw classifyLibraryError(err, 'exchange', settings.id);
    }
    if (typeof tokens.id_token !== 'string') throw new GatehouseError('SSO_ID_TOKEN_INVALID', undefined, { internal: { reason: 'no id_token' } });
    const idClaims = await verifyIdToken(tokens.id_token, (h) => provider.keys.getKey(h), {
      issuer: settings.authority, clientId: settings.clientId, algorithms: settings.algorithms, nonce: tx.nonce,
      clockSkewSeconds: provider.clockSkewSeconds, now: clock.now(), maxAgeSeconds: settings.maxAgeSeconds,
    });
    const subject = idClaims['sub'] as string;
    const userinfo = await fetchVerifiedUserInfo(provider, tokens.access_token, subject);
    const claims = mergeClaims(idClaims, userinfo);
    const sid = idClaims['sid'];
    return {
      providerId: settings.id, issuer: settings.authority, subject, claims, groups: normaliseGroups(claims[settings.groupsClaim]),
      idToken: tokens.id_token, refreshToken: typeof tokens.refresh_token === 'string' ? tokens.refresh_token : undefined,
      returnTo: tx.return_to, providerSessionId: typeof sid === 'string' && sid.length > 0 ? sid : undefined,
    };
  }

  /**
   * Finishes a sign-in: the transaction is consumed first (atomically, so it is gone whatever happens next and a
   * replay finds nothing), then state, iss, the code exchange with PKCE, the ID token (verified here), and userinfo.
   * Throws a coded GatehouseError on any failure (not logged here: the caller logs it once); never returns partial data.
   */
  async function completeSignIn(input: CompleteSignInInput): Promise<CompletedSignIn> {
    if (!input.transactionId || input.transactionId.length > 256) throw new GatehouseError('SSO_TRANSACTION_MISSING');
    const tx = await transactions.consume(sha256Hex(input.transactionId));
    if (!tx || Number(tx.expires_at) <= clock.now()) throw new GatehouseError('SSO_TRANSACTION_MISSING');
    let params: URLSearchParams;
    try {
      params = new URL(String(input.callbackUrl)).searchParams;
    } catch {
      throw new GatehouseError('SSO_STATE_MISMATCH', undefined, { internal: { reason: 'callback URL unparseable' } });
    }
    try {
      return await exchangeAndVerify(tx, params);
    } catch (err) {
      // Classified here, logged once by the caller (the HTTP route logs and audits every refused callback).
      throw classifyLibraryError(err, 'exchange', tx.provider_id);
    }
  }

  return { startSignIn, completeSignIn, sweep: guard.sweep };
}

export type SignInFlow = ReturnType<typeof createSignInFlow>;
