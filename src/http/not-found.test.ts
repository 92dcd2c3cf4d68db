import { describe, expect, it } from 'vitest';
import { patternOf } from './not-found.js';

describe('patternOf: route paths read as the router reads them, for the 405 decision', () => {
  it.each([
    ['/api/v1/users/:id', '/api/v1/users/abc', true],
    ['/api/v1/users/:id', '/api/v1/users/abc/roles', false],
    ['/api/v1/users/:id', '/api/v1/users/', false],
    ['/api/v1/users/:id/roles', '/api/v1/users/a.b/roles', true],
    ['/admin/*', '/admin/users/1', true],
    ['/admin/*', '/administrator', false],
    ['/favicon.svg', '/faviconXsvg', false],
    ['/api/v1/users', '/api/v1/users/', false],
  ])('%s matches %s: %s', (route, path, expected) => {
    expect(patternOf(route).test(path)).toBe(expected);
  });
});
