import type { CliIo } from '../../src/cli/index.js';

/** A CliIo that records what a command writes, with the given environment. */
export function cliIo(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), env };
  return { io, out, err };
}
