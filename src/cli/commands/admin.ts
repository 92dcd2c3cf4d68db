import { readFileSync } from 'node:fs';
import { SYSTEM_CONTEXT } from '../../audit/index.js';
import type { GatehouseConfig } from '../../config/index.js';
import type { BasicSignIn } from '../../users/index.js';
import { parseCommandArgs } from '../args.js';
import type { CliCommand, CliIo } from '../command.js';
import { openConfiguredCore } from '../open-core.js';
import { configOrReport } from './serve.js';

/** The server's own services over the configured database, for one CLI command. */
export interface OpenedServices {
  basicSignIn: BasicSignIn;
  /** Closes the services and the database; waits until running servers were told of the changes (PostgreSQL NOTIFY). */
  close(): Promise<void>;
}

/** What `admin` commands need: a way to open the services (tests pass one over their own database). */
export interface AdminCommandDeps {
  openServices(config: GatehouseConfig, io: CliIo): Promise<OpenedServices>;
}

/**
 * The real opener: the server's core (src/core.ts) over the configured database, so a password set here ends the
 * user's sessions and tokens exactly as an administrator's reset through the API does.
 */
export async function openConfiguredServices(config: GatehouseConfig, io: CliIo): Promise<OpenedServices> {
  const opened = await openConfiguredCore(config, io);
  return { basicSignIn: opened.core.services.basicSignIn, close: opened.close };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export function makeAdminCommands(deps: AdminCommandDeps): { setPassword: CliCommand } {
  /**
   * `gatehouse admin set-password <name> [--password-file F]` (else the password is read from standard input), e.g. for
   * the bootstrap admin before the first production start. Ends every sign-in of the user, on every instance.
   */
  const setPassword: CliCommand = {
    name: 'admin set-password',
    summary: 'Set a user\'s password from the command line (ends the user\'s sessions and tokens)',
    usage: 'gatehouse admin set-password <name> [--password-file file] [--config gatehouse.yaml]   (else reads standard input)',
    async run(args, io) {
      const { values, positionals } = parseCommandArgs(args, { config: { type: 'string', short: 'c' }, 'password-file': { type: 'string' } });
      const name = positionals[0]?.toLowerCase();
      if (!name) {
        io.err(`Usage: ${this.usage}`);
        return 2;
      }
      const config = configOrReport(io, values.config);
      if (!config) return 1;
      const password = values['password-file'] ? readFileSync(values['password-file'], 'utf8').replace(/\r?\n$/, '') : await readStdin();
      const services = await deps.openServices(config, io);
      try {
        await services.basicSignIn.setPasswordByOperator(name, password, { ...SYSTEM_CONTEXT, actorName: 'cli' });
      } finally {
        await services.close();
      }
      io.out(`Password of "${name}" set; it does not need to be changed at sign-in. The user's sessions and tokens were ended.`);
      return 0;
    },
  };
  return { setPassword };
}

export const adminSetPasswordCommand = makeAdminCommands({ openServices: openConfiguredServices }).setPassword;
