import { describe, expect, it } from 'vitest';
import { nextEntityVersion } from './entity-version.js';

describe('nextEntityVersion', () => {
  it('adds 0.1 with one decimal, from 0.1 when the row has none', () => {
    expect(nextEntityVersion({ version: 0.2 })).toBe(0.3); // not 0.30000000000000004
    expect(nextEntityVersion({ version: 0.9 })).toBe(1);
    expect(nextEntityVersion({})).toBe(0.2);
    expect(nextEntityVersion({ version: null })).toBe(0.2);
  });
});
