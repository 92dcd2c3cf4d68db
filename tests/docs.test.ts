import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderErrorsDoc, renderSettingsTable } from '../scripts/render-docs.js';

describe('generated documentation is current (run `npm run docs` after changing errors or settings)', () => {
  it('docs/errors.md lists every error code', () => {
    expect(readFileSync('docs/errors.md', 'utf8')).toBe(renderErrorsDoc());
  });
  it('docs/configuration.md lists every setting', () => {
    expect(readFileSync('docs/configuration.md', 'utf8')).toContain(renderSettingsTable());
  });
});
