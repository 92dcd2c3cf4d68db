export interface PrincipalNameRules {
  /** Claims tried in order (AUTHENTICATION_JWT_PRINCIPAL_CLAIMS), default [email, preferred_username, sub]. */
  principalClaims: readonly string[];
  /** AUTHENTICATION_JWT_PRINCIPAL_CLAIMS_MAPPING: explicit claims for user name and e-mail. */
  mapping: { username: string; email: string } | null;
}

/**
 * The user name and e-mail OpenMetadata would derive from token claims: with a mapping, the named claims; otherwise the
 * first present claim of the list, the part before @, lower-cased. Returns null when no claim yields a name.
 */
export function derivePrincipal(claims: Readonly<Record<string, unknown>>, rules: PrincipalNameRules): { name: string; email: string | null } | null {
  const text = (key: string): string | null => {
    const value = claims[key];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
  };
  const emailClaim = rules.mapping ? text(rules.mapping.email) : text('email');
  const email = emailClaim && emailClaim.includes('@') ? emailClaim.toLowerCase() : null;
  let source: string | null = null;
  if (rules.mapping) source = text(rules.mapping.username);
  else {
    for (const claim of rules.principalClaims) {
      source = text(claim);
      if (source) break;
    }
  }
  if (!source) return null;
  const name = (source.includes('@') ? source.slice(0, source.indexOf('@')) : source).toLowerCase();
  return name ? { name, email } : null;
}

/** Principal-domain enforcement: allowed domains when listed, else the principal domain. */
export function isDomainAllowed(
  email: string | null,
  rules: { enforcePrincipalDomain: boolean; principalDomain: string | null; allowedDomains: readonly string[] },
): boolean {
  if (!rules.enforcePrincipalDomain) return true;
  const domain = emailDomain(email);
  if (!domain) return false;
  const allowed = rules.allowedDomains.length > 0 ? rules.allowedDomains : rules.principalDomain ? [rules.principalDomain] : [];
  return allowed.includes(domain);
}

/** The domain of an e-mail address, lower-cased, or null. */
function emailDomain(email: string | null): string | null {
  if (!email) return null;
  const at = email.lastIndexOf('@');
  return at < 0 ? null : email.slice(at + 1).toLowerCase();
}
