import { describe, expect, it } from 'vitest';
import { safeReturnPath } from './return-path.js';

describe('safeReturnPath: only same-origin paths', () => {
  it.each([
    ['/', '/'],
    ['/profile', '/profile'],
    ['/admin/users?tab=2#top', '/admin/users?tab=2#top'],
    ['/search?q=a%20b', '/search?q=a%20b'],
    ['/a/./b/../c', '/a/c'],
    ['/path with space', '/path%20with%20space'],
    ['/javascript:alert(1)', '/javascript:alert(1)'],
    ['/@evil.example', '/@evil.example'],
    ['/?next=https://evil.example', '/?next=https://evil.example'],
  ])('keeps %j as %j', (input, expected) => {
    expect(safeReturnPath(input)).toBe(expected);
  });

  // A corpus of open-redirect tricks; every one must fall back.
  const hostile = [
    '//evil.example',
    '//evil.example/path',
    '///evil.example',
    '////evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    '\\/evil.example',
    '/\\/evil.example',
    '/%2F%2Fevil.example',
    '/%2f%2fevil.example',
    '%2F%2Fevil.example',
    '/%5Cevil.example',
    '/%5cevil.example',
    '/%255Cevil.example',
    '/%252F%252Fevil.example',
    '/%25252F%25252Fevil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '/\r\n/evil.example',
    '/%09/evil.example',
    '/%0a/evil.example',
    '/%0d%0aLocation:%20https://evil.example',
    '/%00',
    '/..//evil.example',
    '/../..//evil.example',
    '/.//evil.example',
    '/%2e%2e//evil.example',
    '/%2e%2e/%2fevil.example',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'https://evil.example',
    'http://evil.example',
    'HTTPS://evil.example',
    'https:evil.example',
    'https:/evil.example',
    ' https://evil.example',
    ' /profile',
    'evil.example',
    'profile',
    '',
    '%',
    '/%E0%A4%A',
    `/${'a'.repeat(3000)}`,
  ];
  it.each(hostile)('refuses %j', (input) => {
    expect(safeReturnPath(input)).toBe('/');
  });

  it('refuses non-strings and uses the given default', () => {
    for (const value of [undefined, null, 42, ['/a'], { path: '/a' }]) expect(safeReturnPath(value)).toBe('/');
    expect(safeReturnPath('//evil', '/home')).toBe('/home');
  });

  it('never returns something a browser would read as another host', () => {
    for (const input of hostile) {
      const out = safeReturnPath(input);
      expect(new URL(out, 'https://gatehouse.example.com').origin).toBe('https://gatehouse.example.com');
    }
  });
});
