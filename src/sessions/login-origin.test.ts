import { describe, expect, it } from 'vitest';
import { checkLoginOrigin } from './csrf.js';

const PUBLIC = 'https://gatehouse.example.com';

describe('checkLoginOrigin (login CSRF for OpenMetadata\'s POST /api/v1/auth/login)', () => {
  // [content-type, origin, sec-fetch-site, expected]
  const table: [string | undefined, string | undefined, string | undefined, boolean][] = [
    ['application/json', PUBLIC, 'same-origin', true],
    ['application/json; charset=utf-8', `${PUBLIC}/`, undefined, true],
    ['application/json', undefined, undefined, true], // a script or CLI: no browser involved
    ['application/json', undefined, 'none', true], // typed into the address bar / a bookmark
    ['text/plain', PUBLIC, 'same-origin', false], // what a cross-site form can send
    ['application/x-www-form-urlencoded', undefined, undefined, false],
    ['multipart/form-data; boundary=x', undefined, undefined, false],
    [undefined, PUBLIC, undefined, false],
    ['application/json', 'https://evil.example', undefined, false],
    ['application/json', 'https://gatehouse.example.com.evil.net', undefined, false],
    ['application/json', 'null', undefined, false],
    ['application/json', undefined, 'cross-site', false],
    ['application/json', undefined, 'same-site', false],
    ['application/json', PUBLIC, 'cross-site', false],
  ];
  it.each(table)('content-type %s, origin %s, sec-fetch-site %s -> %s', (contentType, origin, secFetchSite, expected) => {
    expect(checkLoginOrigin({ contentType, origin, secFetchSite, publicOrigin: PUBLIC })).toBe(expected);
  });
});
