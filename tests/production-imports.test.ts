import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', 'src');
// Static imports and re-exports that stay in the JavaScript: `import type` is erased, and `import('...')` (dynamic,
// loaded only when a command runs) is deliberately not matched.
const STATIC_IMPORT = /^\s*(?:import|export)\s(?!type\s)[^;]*?\sfrom\s+'([^']+)'/gm;

/** Every package a module pulls in when loaded, following relative static imports through src/. */
function staticPackages(entry: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) {
      if (!spec) continue;
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else packages.add(spec);
    }
  };
  visit(join(SRC, entry));
  return packages;
}

describe('what the production server loads', () => {
  it('the CLI (and so `gatehouse serve`) loads the development IdP only when a command runs it', () => {
    const cli = staticPackages('cli/index.ts');
    expect(cli.has('fastify')).toBe(true); // the walk reaches the server
    expect(cli.has('oidc-provider')).toBe(false);
  });

  it('the server loads the reverse proxy\'s plugin (undici, ws) only when an upstream is configured', () => {
    const cli = staticPackages('cli/index.ts');
    expect(cli.has('@fastify/cookie')).toBe(true); // the walk reaches the HTTP plugins
    expect(cli.has('@fastify/http-proxy')).toBe(false);
  });

  it('the development IdP itself does load oidc-provider (the walk sees through re-exports)', () => {
    expect(staticPackages('devidp/index.ts').has('oidc-provider')).toBe(true);
  });
});
