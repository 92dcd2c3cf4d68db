import { describe, expect, it } from 'vitest';
import { findClaimProblems, OWN_CLAIM_TYPES, REGISTERED_CLAIM_TYPES } from './claim-checks.js';

const bot = { iss: 'open-metadata.org', sub: 'etl-bot', iat: 1, jti: 'j', tokenType: 'BOT', isBot: true, roles: [] };
const external = { iss: 'https://idp.example', sub: 'abc', exp: 2 };

describe('findClaimProblems: the claim list shared by the verifier and token inspect', () => {
  it('accepts well-formed own and external claims', () => {
    expect(findClaimProblems(bot, 'own')).toEqual([]);
    expect(findClaimProblems({ ...bot, aud: ['a', 'b'], exp: 5, nbf: 0, email: 'a@b.c' }, 'own')).toEqual([]);
    expect(findClaimProblems({ ...external, aud: 'client', azp: 'client', jti: 'x', email: 7 }, 'external')).toEqual([]);
  });

  it.each([
    ['aud', 1, 'a string or an array of strings'],
    ['aud', ['a', null], 'a string or an array of strings'],
    ['sub', 1, 'a string'],
    ['jti', false, 'a string'],
    ['exp', '1', 'a number'],
    ['nbf', Number.POSITIVE_INFINITY, 'a number'],
    ['iat', null, 'a number'],
    ['roles', 'Admin', 'an array of strings'],
    ['isBot', 1, 'true or false'],
  ])('%s = %j is refused as not %s', (claim, value, expected) => {
    expect(findClaimProblems({ ...bot, [claim]: value }, 'own')).toContainEqual({ claim, problem: expect.stringContaining(`must be ${expected}`) });
  });

  it('checks only registered claims on external tokens, and requires their exp', () => {
    expect(findClaimProblems({ ...external, roles: 'x', isBot: 'no' }, 'external')).toEqual([]);
    expect(findClaimProblems({ ...external, aud: 3 }, 'external')).toEqual([{ claim: 'aud', problem: expect.stringMatching(/^must be a string or/) }]);
    expect(findClaimProblems({ iss: 'https://idp.example', sub: 'abc' }, 'external')).toEqual([{ claim: 'exp', problem: 'is missing' }]);
  });

  it('reports missing own claims and broken own-token rules', () => {
    expect(findClaimProblems({ iss: 'x' }, 'own').map((p) => p.claim)).toEqual(['sub', 'iat', 'jti', 'tokenType', 'isBot', 'roles']);
    expect(findClaimProblems({ ...bot, isBot: false }, 'own')).toEqual([{ claim: 'isBot', problem: 'must be true exactly for BOT tokens' }]);
    expect(findClaimProblems({ ...bot, tokenType: 'ADMIN' }, 'own').map((p) => p.claim)).toEqual(['tokenType', 'isBot']);
    expect(findClaimProblems({ ...bot, scope: 'entity:view' }, 'own').map((p) => p.claim)).toEqual(['scope']);
    expect(findClaimProblems({ ...bot, tokenType: 'OM_USER', isBot: false }, 'own').map((p) => p.claim)).toEqual(['exp']);
  });

  it('every registered claim has one type, and own claims do not redefine them', () => {
    expect(Object.keys(REGISTERED_CLAIM_TYPES)).toEqual(expect.arrayContaining(['iss', 'sub', 'aud', 'jti', 'exp', 'nbf', 'iat']));
    expect(Object.keys(OWN_CLAIM_TYPES).filter((c) => c in REGISTERED_CLAIM_TYPES)).toEqual([]);
  });
});
