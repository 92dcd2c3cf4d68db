import { describe, expect, it } from 'vitest';
import { cookieValues, credentialHeaders, rawHeaderValues } from './credentials.js';

const raw = (...rawHeaders: string[]) => ({ rawHeaders });

describe('credentials: repeated headers and cookies are seen, not merged', () => {
  it('returns every value of a header, case-insensitively, in order', () => {
    expect(rawHeaderValues(raw('Authorization', 'Bearer a', 'Host', 'h', 'authorization', 'Bearer b'), 'authorization')).toEqual(['Bearer a', 'Bearer b']);
    expect(rawHeaderValues(raw('Host', 'h'), 'authorization')).toEqual([]);
  });

  it('returns the distinct non-empty values of one cookie across Cookie headers', () => {
    expect(cookieValues(raw('Cookie', 's=1; other=2', 'cookie', 's=2'), 's')).toEqual(['1', '2']);
    expect(cookieValues(raw('Cookie', 's=1; s=1; s='), 's')).toEqual(['1']);
    expect(cookieValues(raw('Cookie', 'xs=1; s2=2; "s"=3'), 's')).toEqual([]);
    // Percent-decoded and unquoted as the cookie parser does, so one value spelled two ways is still one.
    expect(cookieValues(raw('Cookie', 's=a%2Fb; s="a/b"'), 's')).toEqual(['a/b']);
    expect(cookieValues(raw('Cookie', 's="'), 's')).toEqual(['"']);
    expect(cookieValues(raw('Cookie', 's=""; t=1'), 's')).toEqual([]);
    expect(cookieValues(raw('Cookie', 's="a"b"'), 's')).toEqual(['a"b']);
  });

  it('collects every Authorization and Cookie value in one pass, in any case, and nothing else', () => {
    const headers = raw('AUTHORIZATION', 'Bearer a', 'Cookie', 's=1', 'X-Authorization', 'no', 'Cookies', 'no', 'authorization', 'Bearer b', 'COOKIE', 's=2', 'Host', 'h');
    expect(credentialHeaders(headers)).toEqual({ authorizations: ['Bearer a', 'Bearer b'], cookies: ['s=1', 's=2'] });
    expect(credentialHeaders(raw('Host', 'h'))).toEqual({ authorizations: [], cookies: [] });
  });
});
