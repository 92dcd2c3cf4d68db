import type { GatehouseConfig } from '../config/index.js';
import { createCore, type GatehouseCore } from '../core.js';
import { systemClock, type Logger } from '../shared/index.js';
import { migrateToLatest, openDatabase } from '../storage/index.js';
import type { CliIo } from './command.js';

/** The server's core over the configured database, for one CLI command. */
export interface OpenedCore {
  core: GatehouseCore;
  /** Closes the core, then the database; waits until running servers were told of the changes (PostgreSQL NOTIFY). */
  close(): Promise<void>;
}

/** Warnings and errors go to the command's standard error; the rest of the log is noise for a one-shot command. */
export const ioLogger = (io: CliIo): Logger => ({
  info() {}, debug() {},
  warn: (o, m) => io.err(`${m ?? ''} ${JSON.stringify(o)}`),
  error: (o, m) => io.err(`${m ?? ''} ${JSON.stringify(o)}`),
});

/**
 * Migrated database -> the same stores and services as `serve` (createCore), so a CLI command applies the server's
 * rules and publishes the same change events (running instances on PostgreSQL hear them at once).
 */
export async function openConfiguredCore(config: GatehouseConfig, io: CliIo): Promise<OpenedCore> {
  const handle = openDatabase({ url: config.database.url });
  try {
    await migrateToLatest(handle);
    const core = createCore({ config, handle, clock: systemClock, logger: ioLogger(io) });
    return {
      core,
      async close() {
        await core.close();
        await handle.close();
      },
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
