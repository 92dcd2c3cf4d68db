import { describe, expect, it } from 'vitest';
import { isGatehouseError } from '../errors/index.js';
import { canonicalTarget, type ForwardedRequest } from './canonical-target.js';

function request(target: string, extra: Partial<ForwardedRequest> = {}): ForwardedRequest {
  return { method: 'GET', host: 'data.example.com', target, headers: {}, trustForwardedHost: false, caseInsensitive: () => false, ...extra };
}

function refusal(input: ForwardedRequest): string {
  try {
    canonicalTarget(input);
  } catch (error) {
    if (isGatehouseError(error)) return error.code;
    throw error;
  }
  return 'accepted';
}

describe('canonicalTarget: the path as the upstream routes it', () => {
  it.each([
    ['/api/v1/users', '/api/v1/users'],
    ['/', '/'],
    ['/admin/', '/admin/'],
    // Dot segments, raw and encoded (RFC 3986 5.2.4), also past the root.
    ['/api/../admin', '/admin'],
    ['/api/./admin', '/api/admin'],
    ['/api/%2e%2e/admin', '/admin'],
    ['/api/%2E%2e/admin', '/admin'],
    ['/api/.%2e/admin', '/admin'],
    ['/../../admin', '/admin'],
    ['/admin/x/..', '/admin/'],
    ['/admin/.', '/admin/'],
    // Matrix parameters are dropped per segment, as Jetty and Tomcat do (CVE-2024-28255: /api/v1;v1/...).
    ['/api/v1;v1/users', '/api/v1/users'],
    ['/admin;jsessionid=ABC123', '/admin'],
    ['/api/..;/admin', '/admin'],
    ['/api;x=1/..;y=2/admin;z', '/admin'],
    // Duplicate slashes collapse.
    ['//admin', '/admin'],
    ['/api//v1///users', '/api/v1/users'],
    // Unreserved characters are decoded, everything else stays encoded with upper-case hex.
    ['/%61dmin', '/admin'],
    ['/search/a%20b', '/search/a%20b'],
    ['/search/a%7e%7Cb', '/search/a~%7Cb'],
    ['/x/%c3%a9', '/x/%C3%A9'],
    ['/x/é', '/x/%C3%A9'],
    ['/x/😀', '/x/%F0%9F%98%80'],
    // Decoded exactly once: double encoding stays a literal "%2e" segment, never a dot segment.
    ['/api/%252e%252e/admin', '/api/%252e%252e/admin'],
    ['/api/%252f/admin', '/api/%252f/admin'],
    // Case is kept for case-sensitive upstreams.
    ['/ADMIN', '/ADMIN'],
  ])('%s -> %s', (target, path) => {
    expect(canonicalTarget(request(target)).path).toBe(path);
  });

  it('lower-cases the path only for upstreams that ignore case, and leaves percent-encoding upper-case', () => {
    const insensitive = { caseInsensitive: (host: string) => host === 'data.example.com' };
    expect(canonicalTarget(request('/ADMIN/Users', insensitive)).path).toBe('/admin/users');
    expect(canonicalTarget(request('/%41DMIN/%C3%A9', insensitive)).path).toBe('/admin/%C3%A9');
    expect(canonicalTarget(request('/ADMIN', { ...insensitive, host: 'other.example.com' })).path).toBe('/ADMIN');
  });

  it.each([
    // Encoded separators: one segment here, two upstream (CVE-2024-28255's "v1%2fusers").
    '/api/v1;v1%2fusers/name/admin',
    '/api/v1%2Fusers',
    '/admin%5c..%5cx',
    '/admin%3bjsessionid=1',
    '/admin%00.json',
    '/admin%0a',
    '/admin%7f',
    // Raw backslashes, control characters, whitespace and fragments.
    '/api\\..\\admin',
    '/admin\u0000',
    '/admin\tx',
    '/admin x',
    '/admin#frag',
    // Malformed percent-encoding and targets that are not paths.
    '/admin%zz',
    '/admin%2',
    '/admin/\ud800',
    'admin',
    'http://evil.example/admin',
    '*',
  ])('refuses %j', (target) => {
    expect(refusal(request(target))).toBe('GATEWAY_TARGET_REFUSED');
  });
});

describe('canonicalTarget: method and method overrides', () => {
  it('upper-cases the method and keeps the query as sent', () => {
    expect(canonicalTarget(request('/api?q=1&b=%2f', { method: 'delete' }))).toEqual({ method: 'DELETE', host: 'data.example.com', path: '/api', query: 'q=1&b=%2f' });
  });

  it.each([
    [{ 'x-http-method-override': 'DELETE' }, '/api/v1/users/1'],
    [{ 'x-method-override': 'PUT' }, '/api/v1/users/1'],
    [{ 'x-http-method': 'PATCH' }, '/api/v1/users/1'],
    [{}, '/api/v1/users/1?_method=DELETE'],
    [{}, '/api/v1/users/1?a=1&_METHOD=delete'],
  ])('refuses a method override (%j, %s)', (headers, target) => {
    expect(refusal(request(target, { headers }))).toBe('GATEWAY_TARGET_REFUSED');
  });

  it.each(['GE T', 'GET\r\n', '', 'G3T'])('refuses the method %j', (method) => {
    expect(refusal(request('/', { method }))).toBe('GATEWAY_TARGET_REFUSED');
  });
});

describe('canonicalTarget: the host', () => {
  it.each([
    ['Data.Example.COM', 'data.example.com'],
    ['data.example.com.', 'data.example.com'],
    ['data.example.com:8443', 'data.example.com'],
    ['data.example.com.:443', 'data.example.com'],
    ['[::1]:8080', '[::1]'],
    ['bücher.example', 'xn--bcher-kva.example'],
  ])('%s -> %s', (host, expected) => {
    expect(canonicalTarget(request('/', { host })).host).toBe(expected);
  });

  it.each(['evil.com@data.example.com', 'data.example.com/x', 'data.example.com\\x', 'data%2eexample.com', '', 'a..b', 'host:port', ' data.example.com'])(
    'refuses the host %j',
    (host) => {
      expect(refusal(request('/', { host }))).toBe('GATEWAY_TARGET_REFUSED');
    },
  );

  it('ignores a client-sent X-Forwarded-Host unless the caller trusts it', () => {
    const headers = { 'x-forwarded-host': 'public.example.com' };
    expect(canonicalTarget(request('/', { headers })).host).toBe('data.example.com');
    expect(canonicalTarget(request('/', { headers, trustForwardedHost: true })).host).toBe('public.example.com');
  });

  it('refuses a trusted X-Forwarded-Host with more than one value', () => {
    expect(refusal(request('/', { headers: { 'x-forwarded-host': 'a.example.com, b.example.com' }, trustForwardedHost: true }))).toBe('GATEWAY_TARGET_REFUSED');
    expect(refusal(request('/', { headers: { 'x-forwarded-host': ['a.example.com', 'b.example.com'] }, trustForwardedHost: true }))).toBe('GATEWAY_TARGET_REFUSED');
  });
});
