import { isLoopbackHost } from '../shared/index.js';
import type { TrustedIssuer } from './verify-bearer.js';

/** Gatehouse's (and OpenMetadata's) own JWKS path. */
export const OWN_JWKS_PATH = '/api/v1/system/config/jwks';

/**
 * True when an AUTHENTICATION_PUBLIC_KEYS entry is Gatehouse's own JWKS: our path on our public origin, or on a
 * loopback host (OpenMetadata's default lists http://localhost:8585/api/v1/system/config/jwks). Our own keys are
 * verified from the key ring, never fetched over HTTP. Another server's JWKS on the same path is not "self".
 */
export function isOwnJwksUrl(url: string, publicUrl: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.pathname.replace(/\/+$/, '') !== OWN_JWKS_PATH) return false;
  return parsed.origin === new URL(publicUrl).origin || isLoopbackHost(parsed.hostname);
}

/** A configured OIDC provider, as far as trusting its tokens goes. */
export interface ProviderTrust {
  /** The issuer URL (AUTHENTICATION_AUTHORITY), e.g. https://acme.onelogin.com/oidc/2. */
  authority: string;
  clientId: string;
}

/**
 * Turns AUTHENTICATION_PUBLIC_KEYS into trusted issuers. Our own JWKS is skipped (see isOwnJwksUrl). A URL under a
 * configured provider's authority trusts that provider's issuer, and its tokens must be for the provider's client id;
 * any other URL trusts the issuer formed by dropping its last path segment (OneLogin: <issuer>/certs), without an
 * audience check - list only JWKS whose every token may call this API.
 */
export function trustedIssuersFrom(urls: readonly string[], input: { publicUrl: string; providers: readonly ProviderTrust[] }): TrustedIssuer[] {
  const result: TrustedIssuer[] = [];
  for (const url of urls) {
    if (isOwnJwksUrl(url, input.publicUrl)) continue;
    const provider = input.providers.find((p) => url.startsWith(`${p.authority.replace(/\/+$/, '')}/`));
    const issuer = provider ? provider.authority : url.slice(0, url.lastIndexOf('/'));
    result.push({ issuer, jwksUrl: url, audiences: provider ? [provider.clientId] : [] });
  }
  return result;
}
