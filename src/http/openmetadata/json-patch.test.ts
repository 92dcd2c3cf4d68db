import { describe, expect, it } from 'vitest';
import { applyJsonPatch } from './json-patch.js';

describe('applyJsonPatch (RFC 6902)', () => {
  const doc = { a: 1, list: [{ id: 'x' }, { id: 'y' }], 'we/ird~key': true };

  it('adds, removes, replaces, moves, copies and tests, leaving the input untouched', () => {
    const out = applyJsonPatch(doc, [
      { op: 'add', path: '/list/-', value: { id: 'z' } },
      { op: 'remove', path: '/list/0' },
      { op: 'replace', path: '/a', value: 2 },
      { op: 'copy', from: '/a', path: '/b' },
      { op: 'move', from: '/we~1ird~0key', path: '/c' },
      { op: 'test', path: '/list/1/id', value: 'z' },
    ]);
    expect(out).toEqual({ a: 2, b: 2, c: true, list: [{ id: 'y' }, { id: 'z' }] });
    expect(doc).toEqual({ a: 1, list: [{ id: 'x' }, { id: 'y' }], 'we/ird~key': true });
  });

  it('refuses missing targets, failed tests, out-of-range indexes and prototype keys', () => {
    expect(() => applyJsonPatch(doc, [{ op: 'remove', path: '/nope' }])).toThrow(/does not exist/);
    expect(() => applyJsonPatch(doc, [{ op: 'test', path: '/a', value: 2 }])).toThrow(/test/);
    expect(() => applyJsonPatch(doc, [{ op: 'add', path: '/list/5', value: 1 }])).toThrow(/out of range/);
    expect(() => applyJsonPatch(doc, [{ op: 'add', path: '/__proto__/isAdmin', value: true }])).toThrow(/not allowed/);
    expect(() => applyJsonPatch(doc, [{ op: 'replace', path: '', value: {} }])).toThrow(/whole document/);
    expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined();
  });
});
