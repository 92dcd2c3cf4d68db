import { loadConfigOrThrow } from '../../config/index.js';
import { migrateToLatest, openDatabase } from '../../storage/index.js';
import { parseCommandArgs } from '../args.js';
import type { CliCommand } from '../command.js';

/** `gatehouse migrate`: applies pending database migrations and exits (start-up also does this). */
export const migrateCommand: CliCommand = {
  name: 'migrate',
  summary: 'Apply pending database migrations',
  usage: 'gatehouse migrate [--config gatehouse.yaml]',
  async run(args, io) {
    const { values } = parseCommandArgs(args, { config: { type: 'string', short: 'c' } });
    const config = loadConfigOrThrow({ env: io.env, file: values.config });
    const handle = openDatabase({ url: config.database.url });
    try {
      const applied = await migrateToLatest(handle);
      io.out(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
      io.out(`Database: ${handle.description}`);
      return 0;
    } finally {
      await handle.close();
    }
  },
};
