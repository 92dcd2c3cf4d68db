import { describe, expect, it } from 'vitest';
import { sessionCookie, transactionCookie } from './cookies.js';
import { checkSameOrigin, type SameOriginInput } from './csrf.js';

const PUBLIC = 'https://gatehouse.example.com';
const H = 'gatehouse';

describe('checkSameOrigin (CSRF rule for cookie-authenticated requests)', () => {
  // [method, origin, sec-fetch-site, x-requested-with, expected]
  const table: [string, string | undefined, string | undefined, string | undefined, boolean][] = [
    ['GET', undefined, undefined, undefined, true],
    ['HEAD', 'https://evil.example', 'cross-site', undefined, true],
    ['OPTIONS', undefined, undefined, undefined, true],
    ['POST', PUBLIC, 'same-origin', H, true],
    ['POST', PUBLIC, undefined, H, true],
    ['post', PUBLIC, undefined, H, true],
    ['DELETE', `${PUBLIC}/`, undefined, 'Gatehouse', true],
    ['PUT', undefined, 'same-origin', H, true],
    ['PATCH', 'HTTPS://GATEHOUSE.EXAMPLE.COM', undefined, H, true],
    ['POST', PUBLIC, 'same-origin', undefined, false],
    ['POST', PUBLIC, 'same-origin', 'XMLHttpRequest', false],
    ['POST', PUBLIC, 'same-origin', '', false],
    ['POST', 'https://evil.example', 'cross-site', H, false],
    ['POST', 'https://evil.example', 'same-origin', H, false],
    ['POST', 'https://gatehouse.example.com.evil.net', undefined, H, false],
    ['POST', 'https://sub.gatehouse.example.com', 'same-site', H, false],
    ['POST', 'http://gatehouse.example.com', undefined, H, false],
    ['POST', 'https://gatehouse.example.com:8443', undefined, H, false],
    ['POST', 'null', 'same-origin', H, false],
    ['POST', undefined, 'same-site', H, false],
    ['POST', undefined, 'cross-site', H, false],
    ['POST', undefined, 'none', H, false],
    ['POST', undefined, undefined, H, false],
    ['DELETE', 'not a url', undefined, H, false],
  ];
  it.each(table)('%s origin=%s sec-fetch-site=%s header=%s -> %s', (method, origin, secFetchSite, customHeader, expected) => {
    const input: SameOriginInput = { method, origin, secFetchSite, customHeader, publicOrigin: PUBLIC };
    expect(checkSameOrigin(input)).toBe(expected);
  });

  it('refuses everything unsafe when the public origin is not a URL', () => {
    expect(checkSameOrigin({ method: 'POST', origin: PUBLIC, secFetchSite: 'same-origin', customHeader: H, publicOrigin: 'nope' })).toBe(false);
  });
});

describe('cookie options', () => {
  it('behind https: __Host- prefix, Secure, HttpOnly, SameSite=Lax, Path=/', () => {
    expect(sessionCookie('https://gatehouse.example.com', 3600)).toEqual({
      name: '__Host-gatehouse_session',
      options: { httpOnly: true, sameSite: 'lax', path: '/', secure: true, maxAge: 3600 },
    });
    expect(transactionCookie('https://gatehouse.example.com', 600).name).toBe('__Host-gatehouse_signin');
  });

  it('plain http (development): no prefix, not Secure', () => {
    expect(sessionCookie('http://127.0.0.1:8585')).toEqual({
      name: 'gatehouse_session',
      options: { httpOnly: true, sameSite: 'lax', path: '/', secure: false, maxAge: undefined },
    });
    expect(transactionCookie('http://127.0.0.1:8585', 600)).toMatchObject({ name: 'gatehouse_signin', options: { secure: false, maxAge: 600 } });
  });
});
