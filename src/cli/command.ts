/** Where a command writes; tests pass buffers. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: Readonly<Record<string, string | undefined>>;
  /** Standard output is a terminal (a person watching), not a file, a pipe or journald. */
  interactive?: boolean;
}

/**
 * One `gatehouse <name>` command. `run` resolves to an exit code, or to 'running' for commands
 * that keep serving (serve, dev-idp, start) until a signal stops them.
 */
export interface CliCommand {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  run(args: string[], io: CliIo): Promise<number | 'running'>;
}
