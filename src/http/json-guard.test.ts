import { describe, expect, it } from 'vitest';
import { findJsonStructureProblem } from './json-guard.js';

describe('findJsonStructureProblem', () => {
  it.each([
    ['{"a":1,"b":{"a":2}}', null],
    ['{"a":"x\\"y","b":"}{,"}', null],
    ['[{"a":1},{"a":2}]', null],
    ['{"isAdmin":false,"isAdmin":true}', 'duplicate key "isAdmin"'],
    ['{"a":{"b":1,"b":2}}', 'duplicate key "b"'],
    ['{"\\u0061":1,"a":2}', 'duplicate key "a"'],
    ['[[[[[1]]]]]', 'nesting deeper than 4 levels'],
    ['{"a":{"__proto__":{"isAdmin":true}}}', 'forbidden key "__proto__"'],
    ['{"constructor":{"prototype":1}}', 'forbidden key "constructor"'],
  ])('%s', (text, expected) => {
    expect(findJsonStructureProblem(text, 4)).toBe(expected);
  });
});
