import { describe, expect, it } from 'vitest';
import { answerClientError, type ClientSocket } from './client-error.js';

function fakeSocket(state: { destroyed?: boolean; writable?: boolean } = {}) {
  const written: string[] = [];
  const destroyed: unknown[] = [];
  const socket: ClientSocket = {
    destroyed: state.destroyed ?? false,
    writable: state.writable ?? true,
    write: ((chunk: string) => (written.push(chunk), true)) as ClientSocket['write'],
    destroy: ((error?: Error) => (destroyed.push(error), socket)) as ClientSocket['destroy'],
  };
  return { socket, written, destroyed };
}

const parserError = (code: string) => Object.assign(new Error('parser'), { code });

describe('answerClientError: what the HTTP parser refuses gets the coded JSON body', () => {
  it.each([
    ['HPE_HEADER_OVERFLOW', 431, 'REQUEST_HEADERS_TOO_LARGE'],
    ['ERR_HTTP_REQUEST_TIMEOUT', 408, 'REQUEST_TIMEOUT'],
    ['HPE_INVALID_METHOD', 400, 'REQUEST_INVALID'],
  ])('%s -> %i %s, then the connection is closed', (parserCode, status, code) => {
    const { socket, written, destroyed } = fakeSocket();
    answerClientError(parserError(parserCode), socket, undefined);
    const [head = '', body = ''] = (written[0] ?? '').split('\r\n\r\n');
    expect(head).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
    expect(head).toMatch(/content-type: application\/json/);
    expect(head).toContain(`content-length: ${Buffer.byteLength(body)}`);
    expect(JSON.parse(body)).toMatchObject({ code, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(destroyed).toHaveLength(1);
  });

  it('writes nothing to a reset, destroyed or unwritable connection', () => {
    const reset = fakeSocket();
    answerClientError(parserError('ECONNRESET'), reset.socket, undefined);
    const gone = fakeSocket({ destroyed: true });
    answerClientError(parserError('HPE_HEADER_OVERFLOW'), gone.socket, undefined);
    const closing = fakeSocket({ writable: false });
    answerClientError(parserError('HPE_HEADER_OVERFLOW'), closing.socket, undefined);
    expect([reset.written, gone.written, closing.written]).toEqual([[], [], []]);
    expect(closing.destroyed).toHaveLength(1);
  });
});
