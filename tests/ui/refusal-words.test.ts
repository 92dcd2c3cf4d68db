import { describe, expect, it } from 'vitest';
import { catalogue, type ErrorCode } from '../../src/errors/catalogue.js';
import { messageFor, NOT_MET_BY_THE_UI, refusalText } from '../../ui/src/messages.js';

const codes = Object.keys(catalogue) as ErrorCode[];
const met = codes.filter((code) => !(code in NOT_MET_BY_THE_UI));
const GENERIC = messageFor('NO_SUCH_CODE_ANYWHERE');
/** What the UI says for a code it does not know (single sign-on codes have their own catch-all). */
const fallbackFor = (code: string) => messageFor(code.startsWith('SSO_') ? 'SSO_NO_SUCH_CODE' : 'NO_SUCH_CODE_ANYWHERE');

describe('every API refusal the UI can meet has a sentence for people (ui/src/messages.ts)', () => {
  it.each(met)('%s is worded by the UI', (code) => {
    // Not the catch-all: the UI knows this code (passing no server message rules out the catalogue's own words).
    const words = messageFor(code);
    expect(words).not.toBe(fallbackFor(code));
    expect(words).toMatch(/^[A-Z].*[.!]$/s);
    // No configuration names, API paths, code spans or validator wording: what a person can act on.
    expect(words).not.toMatch(/[A-Z]{3,}_[A-Z]+|\/api\/|`|must NOT|body\//);
  });

  it('every code is either worded or listed as one the UI cannot meet, never both', () => {
    expect(met.length + Object.keys(NOT_MET_BY_THE_UI).length).toBe(codes.length);
    expect(Object.keys(NOT_MET_BY_THE_UI).filter((code) => !(code in catalogue))).toEqual([]);
    for (const code of Object.keys(NOT_MET_BY_THE_UI) as ErrorCode[]) expect(messageFor(code), code).toBe(fallbackFor(code));
  });

  it('never shows a validator message, but keeps a detail the server wrote for people', () => {
    const validator = 'body/username must NOT have more than 256 characters';
    expect(refusalText('REQUEST_INVALID', catalogue.REQUEST_INVALID.message, validator)).toBe(messageFor('REQUEST_INVALID'));
    expect(refusalText('REQUEST_INVALID', undefined, 'querystring/limit must be <= 200')).not.toMatch(/querystring|must be/);
    expect(refusalText('REQUEST_INVALID', undefined, "body must have required property 'name'")).not.toMatch(/required property/);
    expect(refusalText('CONFLICT', undefined, 'A user or bot named "x" exists.')).toBe(`${messageFor('CONFLICT')} (A user or bot named "x" exists.)`);
  });

  it('a code newer than the UI gets the server catalogue\'s words, and no code at all a generic sentence', () => {
    expect(refusalText('SOMETHING_NEW', 'The server says so in words.')).toBe('The server says so in words.');
    expect(refusalText('HTTP_502')).toBe(GENERIC);
  });
});
