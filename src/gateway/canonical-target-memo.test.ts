import { describe, expect, it } from 'vitest';
import { isGatehouseError } from '../errors/index.js';
import { canonicalTarget, createCanonicalTargets, type ForwardedRequest } from './canonical-target.js';

type Input = Omit<ForwardedRequest, 'caseInsensitive'>;
const insensitive = (host: string) => host === 'legacy.example.com';

function outcome(run: () => unknown): unknown {
  try {
    return run();
  } catch (error) {
    if (isGatehouseError(error)) return { code: error.code, detail: error.detail };
    throw error;
  }
}

const base: Input = { method: 'GET', host: 'data.example.com', target: '/', headers: {}, trustForwardedHost: false };
const CASES: Input[] = [
  { ...base, target: '/api/v1/users?limit=10' },
  { ...base, target: '/api/../admin' },
  { ...base, target: '/api/v1;v1/users' },
  { ...base, target: '/ADMIN/x', host: 'legacy.example.com' },
  { ...base, target: '/ADMIN/x', host: 'data.example.com' },
  { ...base, target: '/api/v1/users/1?_method=DELETE' },
  { ...base, target: '/x', headers: { 'x-http-method-override': 'DELETE' } },
  { ...base, target: '/x', method: 'G3T' },
  { ...base, target: '/x', method: 'post' },
  { ...base, target: '/x', host: 'evil.com@data.example.com' },
  { ...base, target: '/x', host: 'evil.com@data.example.com', method: 'GE T' },
  { ...base, target: '/x', host: 'evil.com@data.example.com', headers: { 'x-method-override': 'PUT' } },
  { ...base, target: '/x', headers: { 'x-forwarded-host': 'public.example.com' } },
  { ...base, target: '/x', headers: { 'x-forwarded-host': 'public.example.com' }, trustForwardedHost: true },
  { ...base, target: '/x', headers: { 'x-forwarded-host': 'a.example.com, b.example.com' }, trustForwardedHost: true },
  { ...base, target: '/%2e%2e/%2fadmin' },
  { ...base, target: `/${'a'.repeat(3000)}` },
];

describe('createCanonicalTargets: canonicalTarget memoised per (method, host, raw target)', () => {
  it('answers and refuses exactly as canonicalTarget, on the first and on every later request', () => {
    const memoised = createCanonicalTargets(insensitive);
    for (let round = 0; round < 3; round++) {
      for (const input of CASES) {
        expect(outcome(() => memoised(input))).toEqual(outcome(() => canonicalTarget({ ...input, caseInsensitive: insensitive })));
      }
    }
  });

  it('judges the headers of every request anew: a memoised target with an override header or a second host is refused', () => {
    const memoised = createCanonicalTargets(insensitive);
    const plain = { ...base, target: '/api/v1/users' };
    expect(memoised(plain).path).toBe('/api/v1/users');
    expect(outcome(() => memoised({ ...plain, headers: { 'x-http-method': 'DELETE' } }))).toMatchObject({ code: 'GATEWAY_TARGET_REFUSED' });
    const trusted = { ...plain, trustForwardedHost: true, headers: { 'x-forwarded-host': 'public.example.com' } };
    expect(memoised(trusted).host).toBe('public.example.com');
    expect(outcome(() => memoised({ ...trusted, headers: { 'x-forwarded-host': 'public.example.com, evil.com' } }))).toMatchObject({ code: 'GATEWAY_TARGET_REFUSED' });
    expect(outcome(() => memoised({ ...plain, method: 'GET\r\n' }))).toMatchObject({ code: 'GATEWAY_TARGET_REFUSED' });
  });

  it('keeps at most maxEntries targets, dropping the least recently used', () => {
    let calls = 0;
    const counting = (host: string) => ((calls += 1), insensitive(host));
    const memoised = createCanonicalTargets(counting, 2);
    const at = (target: string) => memoised({ ...base, target });
    at('/a');
    at('/b');
    at('/a'); // /a is now the most recently used
    at('/c'); // drops /b
    expect(calls).toBe(3);
    at('/a');
    at('/c');
    expect(calls).toBe(3);
    at('/b');
    expect(calls).toBe(4);
  });
});
