import type { CliCommand, CliIo } from './command.js';
import { configCheckCommand } from './commands/config-check.js';
import { withEnvFiles } from './env-file-option.js';
import { listCommands } from './commands/registry.js';

export type { CliCommand, CliIo } from './command.js';

const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  interactive: process.stdout.isTTY === true,
};

function help(io: CliIo, commands: readonly CliCommand[]): void {
  io.out('Usage: gatehouse <command> [options]\n\nCommands:');
  for (const c of commands) io.out(`  ${c.name.padEnd(16)} ${c.summary}`);
  io.out('\nOptions for every command: --env-file <path> reads NAME=value lines as systemd\'s EnvironmentFile= does');
  io.out('(the file wins over the environment; repeatable).');
  io.out('\nRun `gatehouse <command> --help` for a command\'s options. Docs: README.md and docs/ in the Gatehouse repository.');
}

/** Entry point of the `gatehouse` command. Resolves to an exit code, or undefined while a server keeps running. */
export async function runCli(args: string[], baseIo: CliIo = processIo): Promise<number | undefined> {
  const withFiles = withEnvFiles(args, baseIo);
  if (typeof withFiles === 'number') return withFiles;
  const { argv, io } = withFiles;
  const commands = [configCheckCommand, ...listCommands()];
  if (argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') {
    help(io, commands);
    return argv.length === 0 ? 1 : 0;
  }
  // Two-word commands ("config check", "token inspect") win over one-word ones.
  const two = `${argv[0]} ${argv[1] ?? ''}`;
  const command = commands.find((c) => c.name === two) ?? commands.find((c) => c.name === argv[0]);
  if (!command) {
    io.err(`Unknown command "${argv[0]}".`);
    help(io, commands);
    return 2;
  }
  const rest = argv.slice(command.name.split(' ').length);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`${command.summary}\n\nUsage: ${command.usage}`);
    return 0;
  }
  try {
    const result = await command.run(rest, io);
    return result === 'running' ? undefined : result;
  } catch (error) {
    const e = error as { code?: string; message?: string };
    io.err(`gatehouse ${command.name}: ${e.code ? `[${e.code}] ` : ''}${e.message ?? String(error)}`);
    return 1;
  }
}
