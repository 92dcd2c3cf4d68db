import { describe, expect, it } from 'vitest';
import { isStorageUnavailable } from './unavailable.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isStorageUnavailable', () => {
  it('recognises lost or refused connections and a server that cannot take them', () => {
    for (const error of [
      withCode('ECONNREFUSED'), withCode('ECONNRESET'), withCode('57P01'), withCode('57P03'), withCode('53300'),
      withCode('08006'), withCode('08001'), withCode('SQLITE_BUSY'),
      new Error('Connection terminated unexpectedly'), new Error('timeout exceeded when trying to connect'),
      new AggregateError([withCode('ECONNREFUSED')], 'connect failed'),
      new Error('wrapped', { cause: withCode('ECONNRESET') }),
    ]) expect(isStorageUnavailable(error), String(error)).toBe(true);
  });

  it('leaves bugs, bad statements and constraint violations alone', () => {
    for (const error of [
      new Error('boom'), withCode('23505', 'duplicate key'), withCode('42P01', 'relation does not exist'),
      withCode('SQLITE_CONSTRAINT_UNIQUE'), withCode('0800'), null, undefined, 'ECONNREFUSED', 42,
      new Error('a message that only mentions it later: Connection terminated'),
    ]) expect(isStorageUnavailable(error), String(error)).toBe(false);
  });

  it('does not loop on a cause cycle', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(isStorageUnavailable(a)).toBe(false);
  });
});
