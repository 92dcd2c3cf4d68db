import type { CliCommand } from '../command.js';
import { adminSetPasswordCommand } from './admin.js';
import { migrateCommand } from './migrate.js';
import { serveCommand } from './serve.js';

/** Every command but `config check` (kept separate so it never needs the rest to load). */
export function listCommands(): CliCommand[] {
  return [serveCommand, migrateCommand, adminSetPasswordCommand];
}
