import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Languages whose fenced blocks a reader types into a shell: each must be marked runnable or manual. */
const SHELL = new Set(['sh', 'bash', 'shell', 'console', 'zsh', 'shell-session']);

/**
 * How a shell block in the docs is checked (the word after the language in the fence's info string; GitHub shows only
 * the language, so the marker does not clutter the page):
 * - ```` ```sh runnable ````: tests/docs-shell.test.ts runs it as written in a throwaway folder linked to this checkout,
 *   with the fixed ports 8585 and 9090 moved to free ones; it must exit 0 under `bash -euo pipefail`; jobs it
 *   starts with `&` are stopped afterwards.
 * - ```` ```sh manual ````: it cannot run here (Docker, kubectl, root, systemd, a running server): its first line is a
 *   comment starting with `# Needs ` that says so to the reader; the test checks its syntax (`bash -n`), that the
 *   repository files it names exist and that each `node bin/gatehouse.js <command>` is a real command.
 */
export type Marker = 'runnable' | 'manual';

export interface ShellBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  language: string;
  marker: Marker | undefined;
  code: string;
}

/** README.md and every Markdown file under docs/. */
export function documentationFiles(root: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : [],
    );
  return ['README.md', ...walk('docs')];
}

/** The fenced shell blocks of one Markdown text. */
export function shellBlocks(file: string, text: string): ShellBlock[] {
  const blocks: ShellBlock[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)\s*(.*)$/.exec(lines[i] as string);
    if (!open) continue;
    const [, indent, fence, language = '', rest = ''] = open as unknown as [string, string, string, string?, string?];
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j] as string;
      if (line.trim().startsWith(fence as string) && line.trim().replace(/[`~]/g, '') === '') break;
      body.push(line.startsWith(indent as string) ? line.slice((indent as string).length) : line);
    }
    if (SHELL.has(language.toLowerCase())) {
      const word = rest.trim().split(/\s+/)[0];
      const marker = word === 'runnable' || word === 'manual' ? word : undefined;
      blocks.push({ file, line: i + 1, language, marker, code: body.join('\n') });
    }
    i = j;
  }
  return blocks;
}

/** Repository paths a block names (deploy/…, config/…, bin/…), for manual blocks that cannot run here. */
export function repositoryPaths(code: string): string[] {
  const found = code.match(/(?<![\w./-])(?:\.\.\/)*(?:deploy|config|docs|bin|scripts|tests|src)\/[\w.-]+(?:\/[\w.-]+)*/g) ?? [];
  return [...new Set(found.map((p) => p.replace(/^(\.\.\/)+/, '').replace(/[.,]$/, '')))];
}

/** The CLI words after each `node …bin/gatehouse.js` (options and their values dropped), e.g. ['config', 'check']. */
export function gatehouseCommands(code: string): string[][] {
  const commands: string[][] = [];
  for (const match of code.matchAll(/node\s+\S*bin\/gatehouse\.js((?:[ \t]+[^\s;&|#]+)*)/g)) {
    const args = (match[1] ?? '').trim().split(/\s+/).filter(Boolean);
    const words: string[] = [];
    for (let i = 0; i < args.length && words.length < 2; i++) {
      const arg = args[i] as string;
      if (arg === '--env-file') i++;
      else if (arg.startsWith('-')) break;
      else words.push(arg);
    }
    commands.push(words);
  }
  return commands;
}

export function readBlocks(root: string): ShellBlock[] {
  return documentationFiles(root).flatMap((file) => shellBlocks(file, readFileSync(join(root, file), 'utf8')));
}
