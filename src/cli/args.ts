import { parseArgs } from 'node:util';

/** Parses `--flag value` options of a command; unknown flags are errors, not silently ignored. */
export function parseCommandArgs<const T extends Record<string, { type: 'string' | 'boolean'; short?: string }>>(
  args: string[],
  options: T,
) {
  return parseArgs({ args, options, allowPositionals: true, strict: true });
}
