import { loadConfig } from '../../config/index.js';
import { GATEHOUSE_VERSION } from '../../shared/index.js';
import { startGatehouse } from '../../main.js';
import { parseCommandArgs } from '../args.js';
import type { CliCommand, CliIo } from '../command.js';

/** Loads and checks the configuration, printing every problem; null when it is not valid. */
export function configOrReport(io: CliIo, file: string | undefined, env: CliIo['env'] = io.env) {
  const result = loadConfig({ env, file, version: GATEHOUSE_VERSION });
  if (result.ok) return result.config;
  io.err(`Gatehouse cannot start: the configuration has ${result.problems.length} problem(s):`);
  for (const problem of result.problems) io.err(`  - ${problem}`);
  io.err('Fix them (see docs/configuration.md) and start again; `gatehouse config check` checks without starting.');
  return null;
}

/**
 * In a terminal the JSON request log would scroll the one-time bootstrap password away at once, so a server started
 * by a person logs warnings and errors only unless GATEHOUSE_LOG_LEVEL asks for more; files, pipes and journald
 * (production) keep the configured level (default info).
 */
export function quietInTerminal(io: CliIo, env: CliIo['env'] = io.env): { env: CliIo['env']; quieted: boolean } {
  if (!io.interactive || env['GATEHOUSE_LOG_LEVEL'] !== undefined) return { env, quieted: false };
  return { env: { ...env, GATEHOUSE_LOG_LEVEL: 'warn' }, quieted: true };
}

/** What the operator must read before anything else scrolls by: printed last, after the banner. */
export function printLast(io: CliIo, quieted: boolean, notices: readonly string[]): void {
  if (quieted) io.out('Request log: warnings and errors only (set GATEHOUSE_LOG_LEVEL=info to log every request).');
  if (notices.length === 0) return;
  io.out('');
  for (const line of notices) io.out(line);
}

/** Stops the server cleanly on SIGINT/SIGTERM (containers send SIGTERM). */
export function stopOnSignals(close: () => Promise<void>): void {
  const stop = () => {
    void close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** `gatehouse serve`: runs the server alone. */
export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'Run the Gatehouse server',
  usage: 'gatehouse serve [--config gatehouse.yaml]',
  async run(args, io) {
    const { values } = parseCommandArgs(args, { config: { type: 'string', short: 'c' } });
    const { env, quieted } = quietInTerminal(io);
    const config = configOrReport(io, values.config, env);
    if (!config) return 1;
    const running = await startGatehouse(config);
    io.out(`Gatehouse ${config.environment} listening on ${running.url} (public URL ${config.server.publicUrl})`);
    printLast(io, quieted, running.notices);
    stopOnSignals(running.close);
    return 'running';
  },
};
