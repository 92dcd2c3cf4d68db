import { describe, expect, it } from 'vitest';
import { parseEnvFile } from './env-file.js';

describe('environment files are read as systemd reads EnvironmentFile=', () => {
  it('keeps spaces inside unquoted values, which `env $(cat file | xargs)` split apart', () => {
    const { env, warnings } = parseEnvFile('# comment\n; also a comment\n\nOIDC_SCOPE=openid email profile groups  \nGATEHOUSE_ENV=production\n');
    expect(env).toEqual({ OIDC_SCOPE: 'openid email profile groups', GATEHOUSE_ENV: 'production' });
    expect(warnings).toEqual([]);
  });

  it('quotes, escapes, continuations, and no expansion or inline comments', () => {
    const text = [
      'A="quoted  # not a comment"',
      "B='single $HOME \\n'",
      'C="a \\"b\\" \\$x \\\\ \\n"',
      'D=one \\',
      'two',
      '  E = spaced ',
      'F=$HOME#x',
      'G="multi',
      'line"',
      'H=',
      'I=[https://acme.onelogin.com/oidc/2/certs,https://gatehouse.example.com/api/v1/system/config/jwks]',
      'J=a\\ b',
      'K=x\r',
      'L={"data-stewards":["DataSteward"],"analysts":"DataConsumer"}',
    ].join('\n');
    expect(parseEnvFile(text).env).toEqual({
      A: 'quoted  # not a comment',
      B: 'single $HOME \\n',
      C: 'a "b" $x \\ \\n',
      D: 'one two',
      E: 'spaced',
      F: '$HOME#x',
      G: 'multi\nline',
      H: '',
      I: '[https://acme.onelogin.com/oidc/2/certs,https://gatehouse.example.com/api/v1/system/config/jwks]',
      J: 'a b',
      K: 'x',
      L: '{"data-stewards":["DataSteward"],"analysts":"DataConsumer"}',
    });
  });

  it('skips lines systemd skips, and says which', () => {
    const { env, warnings } = parseEnvFile('export X=1\nno equals here\nOK=1\n1BAD=2\nQ="open\n');
    expect(env).toEqual({ OK: '1', Q: 'open\n' });
    expect(warnings).toEqual([
      'line 1: "export X" is not a valid variable name, ignored',
      'line 2: no "=", ignored',
      'line 4: "1BAD" is not a valid variable name, ignored',
      'line 5: unterminated " quote',
    ]);
  });
});
