import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', 'src');
// Every import that names a module, type-only ones included: a circle of types is still a circle of knowledge.
// `import ... from`, `export ... from` (both may span lines), `import '...'` and `import('...')`.
const IMPORT = /(?:\b(?:import|export)\s[^;]*?\sfrom\s+|\bimport\s*\(\s*|\bimport\s+)'([^']+)'/g;
/** Files directly in src/ (compose.ts, main.ts): the composition root, which may reach into any module's face. */
const ROOT = '(root)';
/** Modules that hold rules; they must not know about HTTP (the gateway will be a second front door to them). */
const DOMAIN = ['metrics', 'keys', 'tokens', 'sso', 'sessions', 'users', 'bots', 'authz', 'audit', 'crypto', 'storage', 'config', 'shared', 'preflight', 'gateway'];
/**
 * Deliberate ways around a face, each with its reason. The dev-idp command must not load the devidp index: that loads
 * the server and with it oidc-provider, which `gatehouse serve` never needs (tests/production-imports.test.ts).
 */
const FACE_EXCEPTIONS = new Set(['cli -> devidp/config.ts', 'cli -> devidp/config-types.ts', 'cli -> devidp/server.ts']);

interface Import {
  /** The importing file, relative to src/. */
  from: string;
  fromModule: string;
  /** The specifier as written. */
  spec: string;
  /** For relative imports: the target file relative to src/, and its module. */
  target: string | null;
  targetModule: string | null;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function moduleOf(fileFromSrc: string): string {
  const parts = fileFromSrc.split(sep);
  return parts.length > 1 ? (parts[0] ?? ROOT) : ROOT;
}

function allImports(): Import[] {
  return sourceFiles(SRC).flatMap((file) => {
    const from = relative(SRC, file);
    return [...readFileSync(file, 'utf8').matchAll(IMPORT)].flatMap(([, spec]): Import[] => {
      if (!spec) return [];
      if (!spec.startsWith('.')) return [{ from, fromModule: moduleOf(from), spec, target: null, targetModule: null }];
      const target = relative(SRC, resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      return [{ from, fromModule: moduleOf(from), spec, target, targetModule: moduleOf(target) }];
    });
  });
}

/** Every circle in the module graph, each written once as `a -> b -> a`. */
function moduleCycles(imports: readonly Import[]): string[] {
  const edges = new Map<string, Set<string>>();
  for (const { fromModule, targetModule } of imports) {
    if (targetModule === null || targetModule === fromModule) continue;
    edges.set(fromModule, (edges.get(fromModule) ?? new Set()).add(targetModule));
  }
  const cycles = new Set<string>();
  const visit = (node: string, path: readonly string[]) => {
    for (const next of edges.get(node) ?? []) {
      const at = path.indexOf(next);
      if (at >= 0) {
        // Start each circle at its smallest name so the same circle found from elsewhere is counted once.
        const loop = path.slice(at);
        const first = loop.indexOf([...loop].sort()[0] ?? next);
        const rotated = [...loop.slice(first), ...loop.slice(0, first)];
        cycles.add([...rotated, rotated[0]].join(' -> '));
      } else visit(next, [...path, next]);
    }
  };
  for (const node of edges.keys()) visit(node, [node]);
  return [...cycles].sort();
}

describe('the layers of src/', () => {
  const imports = allImports();

  it('the walk sees the import lines (including multi-line and type-only ones)', () => {
    expect(imports.some((i) => i.from === 'main.ts' && i.spec === './compose.js')).toBe(true);
    expect(imports.some((i) => i.fromModule === 'http' && i.spec === 'fastify')).toBe(true);
    expect(imports.some((i) => i.fromModule === 'cli' && i.targetModule === 'devidp')).toBe(true);
  });

  it('has no circle between module folders', () => {
    expect(moduleCycles(imports)).toEqual([]);
  });

  it('no domain module imports src/http or Fastify', () => {
    const offending = imports
      .filter((i) => DOMAIN.includes(i.fromModule))
      .filter((i) => i.targetModule === 'http' || /^(?:fastify|@fastify\/)/.test(i.spec))
      .map((i) => `${i.from}: ${i.spec}`);
    expect(offending).toEqual([]);
  });

  it('modules import other modules only through their index.ts', () => {
    const offending = imports
      .filter((i) => i.targetModule !== null && i.targetModule !== ROOT && i.targetModule !== i.fromModule)
      .filter((i) => i.target !== join(i.targetModule ?? '', 'index.ts'))
      .filter((i) => !FACE_EXCEPTIONS.has(`${i.fromModule} -> ${i.target?.split(sep).join('/') ?? ''}`))
      .map((i) => `${i.from}: ${i.spec}`);
    expect(offending).toEqual([]);
  });

  it('every module folder has an index.ts face that names its exports (no `export *`)', () => {
    const modules = readdirSync(SRC, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(modules).toEqual(expect.arrayContaining(DOMAIN));
    const faceless = modules.filter((m) => {
      try {
        return /^\s*export\s+\*/m.test(readFileSync(join(SRC, m, 'index.ts'), 'utf8'));
      } catch {
        return true;
      }
    });
    expect(faceless).toEqual([]);
  });
});
