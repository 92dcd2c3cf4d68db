import { generateRsaKeyPair, thumbprintKid, writeKeyFiles, type KeyRing } from '../../keys/index.js';
import { parseCommandArgs } from '../args.js';
import type { CliCommand, CliIo } from '../command.js';
import { openConfiguredCore, type OpenedCore } from '../open-core.js';
import { configOrReport } from './serve.js';

/** A key ring over an open database, for one CLI command. */
export interface OpenedKeyRing {
  ring: KeyRing;
  /** Tells running servers that the keys changed (PostgreSQL NOTIFY); on SQLite only this process hears it. */
  changed(): Promise<void>;
  close(): Promise<void>;
}

/** What `keys list|rotate|retire` need: a way to open the key ring (tests pass a fresh database). */
export interface KeysCommandDeps {
  /** Opens the configured database's key ring; null after printing why it cannot (e.g. a bad configuration). */
  openKeyRing(io: CliIo, configFile: string | undefined): Promise<OpenedKeyRing | null>;
}

/** The key ring of a core opened for one command; a change publishes the event the server's own rotation publishes. */
export async function keyRingOf(opened: OpenedCore): Promise<OpenedKeyRing> {
  const { core, close } = opened;
  try {
    await core.services.keys.reload();
  } catch (error) {
    await close();
    throw error;
  }
  return {
    ring: core.services.keys,
    // Running instances on PostgreSQL reload their key ring at once (NOTIFY); a SQLite server at its next periodic reload.
    changed: async () => core.keysChanged(),
    close,
  };
}

/** The real opener: configuration (file + environment) -> the server's core over the migrated database -> key ring. */
export async function openConfiguredKeyRing(io: CliIo, configFile: string | undefined): Promise<OpenedKeyRing | null> {
  const config = configOrReport(io, configFile);
  return config ? keyRingOf(await openConfiguredCore(config, io)) : null;
}

async function withRing<T>(deps: KeysCommandDeps, io: CliIo, file: string | undefined, work: (ring: KeyRing) => Promise<T>, changes: boolean): Promise<T | null> {
  const opened = await deps.openKeyRing(io, file);
  if (!opened) return null;
  try {
    const result = await work(opened.ring);
    if (changes) await opened.changed();
    return result;
  } finally {
    await opened.close();
  }
}

/** `gatehouse keys generate|list|rotate|retire`. generate needs no database; the others open it through `deps`. */
export function makeKeysCommands(deps: KeysCommandDeps): { generate: CliCommand; list: CliCommand; rotate: CliCommand; retire: CliCommand } {
  const generate: CliCommand = {
    name: 'keys generate',
    summary: 'Write a new RSA signing key pair (DER and PEM)',
    usage: 'gatehouse keys generate --out <dir> [--bits 2048|3072|4096]',
    async run(args, io) {
      const { values } = parseCommandArgs(args, { out: { type: 'string' }, bits: { type: 'string' } });
      if (!values.out) {
        io.err(`Usage: ${generate.usage}`);
        return 2;
      }
      const bits = Number(values.bits ?? 2048);
      if (![2048, 3072, 4096].includes(bits)) {
        io.err('--bits must be 2048, 3072 or 4096.');
        return 2;
      }
      const pair = generateRsaKeyPair(bits);
      let files: string[];
      try {
        files = writeKeyFiles(values.out, pair);
      } catch (error) {
        // Never overwrite a key pair: the old one may still be signing (files are opened with O_EXCL).
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        io.err(`${values.out} already holds a key pair; choose an empty directory (existing keys are never overwritten).`);
        return 1;
      }
      const kid = await thumbprintKid(pair.publicKey);
      for (const f of files) io.out(`wrote ${f}`);
      io.out('\nConfigure Gatehouse with:');
      io.out(`  RSA_PRIVATE_KEY_FILE_PATH=${files[0]}`);
      io.out(`  RSA_PUBLIC_KEY_FILE_PATH=${files[1]}`);
      io.out(`  JWT_KEY_ID=${kid}`);
      io.out('Keep private_key.* secret (mode 0600); never commit them.');
      return 0;
    },
  };

  const list: CliCommand = {
    name: 'keys list',
    summary: 'List signing keys and their status',
    usage: 'gatehouse keys list [--config file]',
    async run(args, io) {
      const { values } = parseCommandArgs(args, { config: { type: 'string', short: 'c' } });
      const keys = await withRing(deps, io, values.config, (ring) => ring.list(), false);
      if (!keys) return 1;
      if (keys.length === 0) io.out('No signing keys yet (they are made or loaded at the first start).');
      for (const k of keys) {
        const source = k.development ? 'DEVELOPMENT' : k.source;
        io.out(`${k.kid}  ${k.status.padEnd(8)} ${source.padEnd(11)} ${k.bits} bits  sha256 ${k.fingerprint}  created ${k.createdAt}  last token expires ${k.lastTokenExpiresAt ?? '-'}`);
      }
      return 0;
    },
  };

  const rotate: CliCommand = {
    name: 'keys rotate',
    summary: 'Make a new active signing key; the old one keeps verifying until retired',
    usage: 'gatehouse keys rotate [--config file]',
    async run(args, io) {
      const { values } = parseCommandArgs(args, { config: { type: 'string', short: 'c' } });
      const kid = await withRing(deps, io, values.config, (ring) => ring.rotate(), true);
      if (!kid) return 1;
      io.out(`New active key ${kid}. Servers on PostgreSQL switch at once, a server on the same SQLite file within 60 s.`);
      return 0;
    },
  };

  const retire: CliCommand = {
    name: 'keys retire',
    summary: 'Retire a signing key: tokens it signed stop working',
    usage: 'gatehouse keys retire <kid> [--config file]',
    async run(args, io) {
      const { values, positionals } = parseCommandArgs(args, { config: { type: 'string', short: 'c' } });
      const kid = positionals[0];
      if (!kid || positionals.length > 1) {
        io.err(`Usage: ${retire.usage}`);
        return 2;
      }
      const done = await withRing(deps, io, values.config, async (ring) => {
        await ring.retire(kid);
        return true;
      }, true);
      if (!done) return 1;
      io.out(`Key ${kid} retired: tokens it signed are refused at once on PostgreSQL, within 60 s by a server on the same SQLite file.`);
      return 0;
    },
  };

  return { generate, list, rotate, retire };
}

const keysCommands = makeKeysCommands({ openKeyRing: openConfiguredKeyRing });
export const keysGenerateCommand = keysCommands.generate;
export const keysListCommand = keysCommands.list;
export const keysRotateCommand = keysCommands.rotate;
export const keysRetireCommand = keysCommands.retire;
