import type { Kysely } from 'kysely';
import { DEFAULT_ROLES } from '../authz/index.js';
import type { GatehouseConfig } from '../config/index.js';
import type { StoredKeyFacts } from '../keys/index.js';
import { createRoleStore, createSigningKeyStore, createUserStore, type Database, type Engine } from '../storage/index.js';
import { normalizeUserName } from '../users/index.js';

/**
 * What the start-up checks need from the database, read without changing it, and predicting what `serve` adds before
 * it checks: the default roles it seeds and the bootstrap administrators it creates (with their initial password).
 */
export interface StartupFacts {
  readonly config: GatehouseConfig;
  /** Signing keys stored in the database (none for a new database). */
  readonly storedKeys: readonly StoredKeyFacts[];
  /** Role names that exist once serve has started: the database's and the default roles. */
  readonly roleNames: ReadonlySet<string>;
  /** Bootstrap administrators that have, or will be created with, their initial password. */
  readonly initialPasswordAdmins: readonly string[];
  /** Why the database could not be read (e.g. tables from pending migrations missing); the checks then assume a new database. */
  readonly databaseNote: string | null;
}

/** The database to read: null when there is none yet (a SQLite file serve will create). */
export interface FactSource {
  readonly db: Kysely<Database>;
  readonly engine: Engine;
}

function newDatabaseFacts(config: GatehouseConfig, databaseNote: string | null): StartupFacts {
  return {
    config,
    storedKeys: [],
    roleNames: new Set(DEFAULT_ROLES.map((r) => r.name)),
    initialPasswordAdmins: config.authentication.basic.enabled ? config.bootstrap.admins.map(normalizeUserName) : [],
    databaseNote,
  };
}

/** Reads the facts; a database that cannot be read is reported in `databaseNote`, never thrown. */
export async function readStartupFacts(config: GatehouseConfig, source: FactSource | null): Promise<StartupFacts> {
  if (!source) return newDatabaseFacts(config, null);
  try {
    const users = createUserStore(source.db, source.engine);
    const [keys, roles, unchanged] = await Promise.all([
      createSigningKeyStore(source.db, source.engine).list(),
      createRoleStore(source.db).list(),
      users.listUnchangedBootstrapAdmins(),
    ]);
    const admins = new Set(unchanged.map((u) => u.name));
    // ensureBootstrapAdmins creates the missing ones (password sign-in only), each with its initial password.
    if (config.authentication.basic.enabled) {
      for (const name of config.bootstrap.admins.map(normalizeUserName)) {
        if (!(await users.findByName(name))) admins.add(name);
      }
    }
    return {
      config,
      storedKeys: keys,
      roleNames: new Set([...DEFAULT_ROLES.map((r) => r.name), ...roles.map((r) => r.name)]),
      initialPasswordAdmins: [...admins],
      databaseNote: null,
    };
  } catch (error) {
    return newDatabaseFacts(config, (error as Error).message.split('\n')[0] ?? 'unknown error');
  }
}
