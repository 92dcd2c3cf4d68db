import { describe, expect, it } from 'vitest';
import { isLoopbackHost, isLoopbackUrl } from './loopback.js';

// One table for every place that asks "is this loopback?" (config URLs, provider endpoints, own JWKS, dev IdP delivery).
const HOSTS: readonly [string, boolean][] = [
  ['127.0.0.1', true],
  ['127.0.0.2', true],
  ['127.255.255.254', true],
  ['127.1', true], // the URL parser (and fetch) read it as 127.0.0.1
  ['0x7f000001', true], // likewise 127.0.0.1
  ['2130706433', true],
  ['localhost', true],
  ['LOCALHOST', true],
  ['::1', true],
  ['[::1]', true],
  ['0:0:0:0:0:0:0:1', true],
  ['::ffff:127.0.0.1', false], // IPv4-mapped: not every stack routes it to loopback
  ['[::ffff:127.0.0.1]', false],
  ['localhost.', false], // may be sent to DNS
  ['foo.localhost', false],
  ['localhost.evil.net', false],
  ['127.0.0.1.evil.com', false],
  ['127.0.0.1.nip.io', false],
  ['128.0.0.1', false],
  ['0.0.0.0', false],
  ['::', false],
  ['10.0.0.5', false],
  ['evil.com', false],
  ['127.0.0.1@evil.com', false], // userinfo trick
  ['evil.com@127.0.0.1', false], // not a host at all
  ['127.0.0.1/evil', false],
  ['127.0.0.1:80', false],
  ['127.0.0.1 ', false],
  ['', false],
];

describe('isLoopbackHost', () => {
  it.each(HOSTS)('%j -> %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});

const URLS: readonly [string, boolean][] = [
  ['http://127.0.0.1:9090/oidc/2', true],
  ['http://127.0.0.2:9090/oidc/2', true],
  ['http://127.1/', true],
  ['http://0x7f000001/', true],
  ['http://[::1]:8585/', true],
  ['http://localhost:8585/', true],
  ['http://[::ffff:127.0.0.1]/', false],
  ['http://localhost./', false],
  ['http://127.0.0.1.evil.com/', false],
  ['http://127.0.0.1@evil.com/', false], // the host is evil.com
  ['http://user:pw@127.0.0.1/', false], // credentials are refused wherever URLs are checked
  ['http://evil.com#@127.0.0.1/', false],
  ['http://evil.com\\@127.0.0.1/', false],
  ['not a url', false],
];

describe('isLoopbackUrl', () => {
  it.each(URLS)('%s -> %s', (url, expected) => {
    expect(isLoopbackUrl(url)).toBe(expected);
  });
});
