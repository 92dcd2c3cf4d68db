import { loadEnvFile } from '../config/index.js';
import type { CliIo } from './command.js';

/**
 * Takes every `--env-file <path>` (or `--env-file=<path>`) out of the arguments and layers the files over the
 * environment, later files winning, as systemd does with several EnvironmentFile= lines: `gatehouse --env-file
 * /etc/gatehouse/gatehouse.env config check` then checks what the service will see. Returns 2 on a missing path or
 * an unreadable file (after saying which).
 */
export function withEnvFiles(args: readonly string[], io: CliIo): { argv: string[]; io: CliIo } | number {
  const argv: string[] = [];
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') {
      argv.push(...args.slice(i));
      break;
    }
    if (arg === '--env-file') {
      const path = args[i + 1];
      if (path === undefined || path.startsWith('--')) {
        io.err('--env-file needs a path, e.g. --env-file /etc/gatehouse/gatehouse.env');
        return 2;
      }
      files.push(path);
      i++;
    } else if (arg.startsWith('--env-file=')) files.push(arg.slice('--env-file='.length));
    else argv.push(arg);
  }
  if (files.length === 0) return { argv, io };
  const env: Record<string, string | undefined> = { ...io.env };
  for (const file of files) {
    try {
      const parsed = loadEnvFile(file);
      for (const warning of parsed.warnings) io.err(`${file}: ${warning}`);
      Object.assign(env, parsed.env);
    } catch (error) {
      io.err(`--env-file ${file}: ${(error as Error).message}`);
      return 2;
    }
  }
  return { argv, io: { ...io, env } };
}
