import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../src/errors/catalogue.js';
import { TOKEN_CHECKS } from '../../src/sso/index.js';
import { messageFor, signInFailure, SSO_MESSAGES, TOKEN_CHECKS as UI_CHECKS } from '../../ui/src/messages.js';

const ssoCodes = Object.keys(catalogue).filter((code) => code.startsWith('SSO_')) as (keyof typeof catalogue)[];
// Sent to the provider's server (back-channel logout), never shown on the sign-in page.
const NOT_SHOWN_TO_PEOPLE = new Set(['SSO_LOGOUT_TOKEN_INVALID']);

/** The rows of docs/onelogin.md's troubleshooting table: [what you see, codes, cause and fix]. */
function troubleshootingRows(): string[][] {
  const doc = readFileSync('docs/onelogin.md', 'utf8');
  const section = doc.slice(doc.indexOf('## Troubleshooting'));
  return section.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('|---')).map((line) => line.split(' | '));
}

describe('each single sign-on failure says the same thing in the UI, the error catalogue and the OneLogin guide', () => {
  it.each(ssoCodes.filter((c) => !NOT_SHOWN_TO_PEOPLE.has(c)))('the sign-in page words %s as the catalogue does', (code) => {
    expect(SSO_MESSAGES[code]).toBe(catalogue[code].message);
    expect(messageFor(code)).toBe(catalogue[code].message);
  });

  it.each(ssoCodes)('docs/onelogin.md has a troubleshooting row for %s with the catalogue message', (code) => {
    const row = troubleshootingRows().find((cells) => cells[1]?.includes(`\`${code}\``));
    expect(row, `no row for ${code}`).toBeDefined();
    expect(row?.[0]).toContain(`"${catalogue[code].message}"`);
  });

  it('the UI knows no SSO code the catalogue does not have', () => {
    expect(Object.keys(SSO_MESSAGES).filter((code) => !(code in catalogue))).toEqual([]);
  });

  it('names the failed ID token check, and only checks the server can name', () => {
    expect([...UI_CHECKS]).toEqual([...TOKEN_CHECKS]);
    expect(signInFailure('SSO_ID_TOKEN_INVALID', 'audience')).toBe(`${catalogue.SSO_ID_TOKEN_INVALID.message} Failed check: audience.`);
    expect(signInFailure('SSO_ID_TOKEN_INVALID', '<b>forged</b>')).toBe(catalogue.SSO_ID_TOKEN_INVALID.message);
    expect(signInFailure('SSO_NONCE_MISMATCH', 'audience')).toBe(catalogue.SSO_NONCE_MISMATCH.message);
  });
});
