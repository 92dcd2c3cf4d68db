import type { CliCommand } from '../command.js';
import { accessExplainCommand } from './access-explain.js';
import { adminSetPasswordCommand } from './admin.js';
import { devIdpCommand } from './dev-idp.js';
import { doctorCommand } from './doctor.js';
import { startCommand } from './start.js';
import { keysGenerateCommand, keysListCommand, keysRetireCommand, keysRotateCommand } from './keys.js';
import { migrateCommand } from './migrate.js';
import { serveCommand } from './serve.js';
import { tokenInspectCommand } from './token-inspect.js';

/** Every command but `config check` (kept separate so it never needs the rest to load). */
export function listCommands(): CliCommand[] {
  return [startCommand, serveCommand, devIdpCommand, migrateCommand, adminSetPasswordCommand, keysGenerateCommand, keysListCommand, keysRotateCommand, keysRetireCommand, tokenInspectCommand, accessExplainCommand, doctorCommand];
}
