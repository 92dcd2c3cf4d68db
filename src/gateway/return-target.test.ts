import { describe, expect, it } from 'vitest';
import { returnHostsFrom, safeReturnTarget } from './return-target.js';

const { hosts: ALLOWED } = returnHostsFrom(['data.example.com', '*.apps.example.com', 'bücher.example']);

describe('safeReturnTarget: allowed hosts and same-origin paths only', () => {
  it.each([
    ['https://data.example.com/tables?x=1#top', 'https://data.example.com/tables?x=1#top'],
    ['http://data.example.com', 'http://data.example.com/'],
    ['HTTPS://DATA.EXAMPLE.COM:8443/a', 'https://data.example.com:8443/a'],
    ['https://data.example.com./a', 'https://data.example.com./a'],
    ['https://wiki.apps.example.com/', 'https://wiki.apps.example.com/'],
    ['https://a.b.apps.example.com/', 'https://a.b.apps.example.com/'],
    ['https://bücher.example/x', 'https://xn--bcher-kva.example/x'],
    ['https://xn--bcher-kva.example/x', 'https://xn--bcher-kva.example/x'],
    ['https://data.example.com/%2f%2fevil.com', 'https://data.example.com/%2f%2fevil.com'],
    // Paths go through the SSO return-path rule unchanged.
    ['/tables/x', '/tables/x'],
    ['/a/./b/../c', '/a/c'],
  ])('accepts %j as %j', (input, expected) => {
    expect(safeReturnTarget(input, ALLOWED)).toBe(expected);
  });

  it.each([
    // Hosts not on the list, or that only look like allowed ones.
    'https://evil.com/',
    'https://example.com/',
    'https://apps.example.com/',
    'https://data.example.com.evil.com/',
    'https://evil.com#@data.example.com',
    'https://evil.com?@data.example.com',
    'https://evil.com\\@data.example.com',
    'https://data.example.com@evil.com/',
    'https://data.example.com:pw@evil.com/',
    'https://user@data.example.com/',
    'https://data.example.com%2f.evil.com/',
    'https://data.example.com%40evil.com/',
    'https://evil.com%23.data.example.com/',
    'https://dataexample.com/',
    'https://bucher.example/',
    // Protocol-relative, backslash and scheme tricks.
    '//evil.com',
    '///evil.com',
    '/\\evil.com',
    '\\\\evil.com',
    '\\/evil.com',
    'https:evil.com',
    'https:/evil.com',
    'https:\\\\evil.com',
    'https:/\\evil.com',
    'https://\\evil.com',
    'javascript:alert(1)',
    'JaVaScRiPt://data.example.com/%0aalert(1)',
    'data:text/html,<script>',
    'ftp://data.example.com/',
    'wss://data.example.com/',
    // Encoded variants.
    '/%2f%2fevil.com',
    '/%2F%2Fevil.com',
    '/%5cevil.com',
    '/%255c%255cevil.com',
    '%2f%2fevil.com',
    'https%3a%2f%2fevil.com',
    // Whitespace and control characters.
    ' https://data.example.com/',
    'https://data.example.com /',
    'https://evil.com\t.data.example.com/',
    'https:/\t/evil.com',
    'https://data.example.com/\n',
    'https://data.example.com\u3000/',
    '/\t/evil.com',
    // Not a string, empty, too long.
    '',
    `https://data.example.com/${'a'.repeat(2100)}`,
  ])('refuses %j', (input) => {
    expect(safeReturnTarget(input, ALLOWED)).toBeNull();
  });

  it('refuses anything that is not a string', () => {
    for (const value of [undefined, null, 42, ['https://data.example.com/'], { href: 'https://data.example.com/' }]) expect(safeReturnTarget(value, ALLOWED)).toBeNull();
  });

  it('accepts nothing absolute with an empty allow-list', () => {
    expect(safeReturnTarget('https://data.example.com/', returnHostsFrom([]).hosts)).toBeNull();
  });

  it('lists bad allow-list entries', () => {
    expect(returnHostsFrom(['https://x.example.com', 'x.example.com/path', 'ok.example.com', '*.ok.example.com', 'a@b.com']).problems).toEqual([
      'gateway.returnHosts: "https://x.example.com" is not a host name or *.domain pattern (no scheme, port or path)',
      'gateway.returnHosts: "x.example.com/path" is not a host name or *.domain pattern (no scheme, port or path)',
      'gateway.returnHosts: "a@b.com" is not a host name or *.domain pattern (no scheme, port or path)',
    ]);
  });
});
