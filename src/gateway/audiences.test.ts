import { describe, expect, it } from 'vitest';
import { audiencesFrom } from './audiences.js';

describe('gateway.audiences', () => {
  it('picks the most specific host pattern, whatever the order written, and null for other hosts', () => {
    const { audienceFor, problems } = audiencesFrom([
      { host: '*.example.com', audience: 'wide' },
      { host: '*.apps.example.com', audience: 'apps' },
      { host: 'Data.Example.com', audience: 'catalog' },
    ]);
    expect(problems).toEqual([]);
    expect(audienceFor('data.example.com')).toBe('catalog');
    expect(audienceFor('x.apps.example.com')).toBe('apps');
    expect(audienceFor('other.example.com')).toBe('wide');
    expect(audienceFor('example.com')).toBeNull();
    expect(audienceFor('example.org')).toBeNull();
  });

  it('lists host patterns that are not hosts', () => {
    const { problems } = audiencesFrom([{ host: 'https://data.example.com', audience: 'a' }, { host: 'data.example.com:443', audience: 'b' }]);
    expect(problems).toEqual([
      expect.stringContaining('"https://data.example.com" is not a host name'),
      expect.stringContaining('"data.example.com:443" is not a host name'),
    ]);
  });
});
