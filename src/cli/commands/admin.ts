import { readFileSync } from 'node:fs';
import { createAuditLog, SYSTEM_CONTEXT } from '../../audit/index.js';
import { hashPassword } from '../../crypto/index.js';
import { GatehouseError } from '../../errors/index.js';
import { systemClock } from '../../shared/index.js';
import { createAuditStore, createRefreshTokenStore, createUserStore, migrateToLatest, openDatabase } from '../../storage/index.js';
import { checkNewPassword } from '../../users/index.js';
import { parseCommandArgs } from '../args.js';
import type { CliCommand } from '../command.js';
import { configOrReport } from './serve.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/**
 * `gatehouse admin set-password <name> [--password-file F]` (else the password is read from standard input):
 * sets a password directly in the database, e.g. for the bootstrap admin before the first production start.
 */
export const adminSetPasswordCommand: CliCommand = {
  name: 'admin set-password',
  summary: 'Set a user\'s password from the command line',
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
    checkNewPassword(password, { minLength: config.login.minPasswordLength, userName: name });
    const handle = openDatabase({ url: config.database.url });
    try {
      await migrateToLatest(handle);
      const users = createUserStore(handle.db);
      const user = await users.findByName(name);
      if (!user) throw new GatehouseError('NOT_FOUND', `No user named "${name}".`);
      if (user.is_bot === 1) throw new GatehouseError('FORBIDDEN', 'Bots have no password.');
      const now = systemClock.now();
      await users.update(user.id, { password_hash: await hashPassword(password), must_change_password: 0, updated_at: now });
      await createRefreshTokenStore(handle.db).revokeAllForUser(user.id, now);
      const audit = createAuditLog({ store: createAuditStore(handle.db), clock: systemClock, logger: { info() {}, warn() {}, debug() {}, error: (o) => io.err(JSON.stringify(o)) } });
      await audit.record({ ...SYSTEM_CONTEXT, actorName: 'cli' }, { type: 'auth.password.reset', outcome: 'success', target: { type: 'user', id: user.id, name }, details: { via: 'cli' } });
      io.out(`Password of "${name}" set; it does not need to be changed at sign-in.`);
      return 0;
    } finally {
      await handle.close();
    }
  },
};
