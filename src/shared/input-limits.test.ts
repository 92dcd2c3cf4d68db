import { describe, expect, it } from 'vitest';
import { INPUT_LIMITS, NAME_RULE, suggestName } from './input-limits.js';

describe('suggestName: a valid name close to what someone typed', () => {
  it.each([
    ['My Ingest Bot', 'my-ingest-bot'],
    ['  Lineage / Warehouse ', 'lineage-warehouse'],
    ['Café Réunion', 'cafe-reunion'],
    ['--_.etl.', 'etl'],
    ['!!!', ''],
  ])('%j -> %j', (typed, suggested) => {
    expect(suggestName(typed)).toBe(suggested);
  });

  it('always suggests a name the server accepts, or nothing', () => {
    for (const typed of ['A'.repeat(200), 'x y'.repeat(40), 'Ünïcödé Bot 2', '42 answers']) {
      const suggested = suggestName(typed);
      expect(suggested.length).toBeLessThanOrEqual(INPUT_LIMITS.name);
      expect(NAME_RULE.test(suggested), `${typed} -> ${suggested}`).toBe(true);
    }
  });
});
