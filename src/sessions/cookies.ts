/** Options in the shape @fastify/cookie's setCookie takes, so the HTTP layer passes them through unchanged. */
export interface CookieOptions {
  readonly httpOnly: true;
  readonly sameSite: 'lax';
  readonly path: '/';
  readonly secure: boolean;
  /** Seconds; undefined for a cookie that lives as long as the browser session. */
  readonly maxAge: number | undefined;
}

export interface NamedCookie {
  readonly name: string;
  readonly options: CookieOptions;
}

function isHttps(publicUrl: string): boolean {
  return new URL(publicUrl).protocol === 'https:';
}

/**
 * The session cookie. Behind https it is `__Host-gatehouse_session`: the browser then insists on Secure, Path=/ and no
 * Domain, so a sibling subdomain cannot plant or overwrite it (cookie tossing). HttpOnly keeps it from scripts;
 * SameSite=Lax keeps it off cross-site POSTs while still sent on the top-level redirect back from the provider.
 * Plain http (local development only) cannot use the prefix, so the name differs.
 */
export function sessionCookie(publicUrl: string, maxAgeSeconds?: number): NamedCookie {
  const secure = isHttps(publicUrl);
  return {
    name: secure ? '__Host-gatehouse_session' : 'gatehouse_session',
    options: { httpOnly: true, sameSite: 'lax', path: '/', secure, maxAge: maxAgeSeconds },
  };
}

/**
 * The short-lived cookie that binds a sign-in transaction to the browser that started it. Lax (not Strict) because
 * the callback is a top-level navigation coming from the provider's site.
 */
export function transactionCookie(publicUrl: string, maxAgeSeconds: number): NamedCookie {
  const secure = isHttps(publicUrl);
  return {
    name: secure ? '__Host-gatehouse_signin' : 'gatehouse_signin',
    options: { httpOnly: true, sameSite: 'lax', path: '/', secure, maxAge: maxAgeSeconds },
  };
}
