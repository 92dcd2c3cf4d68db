import { createKeyRing, generateRsaKeyPair, thumbprintKid, writeKeyFiles } from '../../keys/index.js';
import { resolveEncryptionKey } from '../../crypto/index.js';
import { silentLogger, systemClock } from '../../shared/index.js';
import { createPostgresChangeFeed, createSigningKeyStore, migrateToLatest, openDatabase } from '../../storage/index.js';
import { parseCommandArgs } from '../args.js';
import type { CliCommand, CliIo } from '../command.js';
import { configOrReport } from './serve.js';

/** `gatehouse keys generate --out dir [--bits 2048]`: a fresh RSA pair in OpenMetadata's DER formats and PEM. */
export const keysGenerateCommand: CliCommand = {
  name: 'keys generate',
  summary: 'Write a new RSA signing key pair (DER and PEM)',
  usage: 'gatehouse keys generate --out <dir> [--bits 2048|3072|4096]',
  async run(args, io) {
    const { values } = parseCommandArgs(args, { out: { type: 'string' }, bits: { type: 'string' } });
    if (!values.out) {
      io.err(`Usage: ${this.usage}`);
      return 2;
    }
    const bits = Number(values.bits ?? 2048);
    if (![2048, 3072, 4096].includes(bits)) {
      io.err('--bits must be 2048, 3072 or 4096.');
      return 2;
    }
    const pair = generateRsaKeyPair(bits);
    const files = writeKeyFiles(values.out, pair);
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

async function withRing<T>(io: CliIo, file: string | undefined, work: (ring: ReturnType<typeof createKeyRing>) => Promise<T>): Promise<T | null> {
  const config = configOrReport(io, file);
  if (!config) return null;
  const handle = openDatabase({ url: config.database.url });
  try {
    await migrateToLatest(handle);
    const ring = createKeyRing({
      store: createSigningKeyStore(handle.db), clock: systemClock, logger: { info() {}, debug() {}, warn: (o, m) => io.err(`${m ?? ''} ${JSON.stringify(o)}`), error: (o, m) => io.err(`${m ?? ''} ${JSON.stringify(o)}`) },
      encryptionKey: resolveEncryptionKey({ configured: config.encryptionKey, dataDir: config.dataDir, production: config.environment === 'production' }),
      production: config.environment === 'production', privateKeyFile: config.jwt.privateKeyFile, publicKeyFile: config.jwt.publicKeyFile,
      keyId: config.jwt.keyId, clockSkewSeconds: config.authentication.clockSkewSeconds,
    });
    await ring.reload();
    const result = await work(ring);
    if (handle.engine === 'postgres') {
      // Running instances reload their key ring at once (NOTIFY); a SQLite server picks it up at restart.
      const feed = createPostgresChangeFeed(handle.url, handle.schema, silentLogger);
      feed.publish({ kind: 'keys' });
      await feed.close();
    }
    return result;
  } finally {
    await handle.close();
  }
}

export const keysListCommand: CliCommand = {
  name: 'keys list',
  summary: 'List signing keys and their status',
  usage: 'gatehouse keys list [--config file]',
  async run(args, io) {
    const { values } = parseCommandArgs(args, { config: { type: 'string', short: 'c' } });
    const keys = await withRing(io, values.config, (ring) => ring.list());
    if (!keys) return 1;
    if (keys.length === 0) io.out('No signing keys yet (they are made or loaded at the first start).');
    for (const k of keys) {
      io.out(`${k.kid}  ${k.status.padEnd(8)} ${k.source.padEnd(11)} ${k.bits} bits  created ${k.createdAt}  last token expires ${k.lastTokenExpiresAt ?? '-'}`);
    }
    return 0;
  },
};

export const keysRotateCommand: CliCommand = {
  name: 'keys rotate',
  summary: 'Make a new active signing key; the old one keeps verifying until retired',
  usage: 'gatehouse keys rotate [--config file]',
  async run(args, io) {
    const { values } = parseCommandArgs(args, { config: { type: 'string', short: 'c' } });
    const kid = await withRing(io, values.config, (ring) => ring.rotate());
    if (!kid) return 1;
    io.out(`New active key ${kid}. Servers on PostgreSQL switch at once; restart a SQLite server to sign with it.`);
    return 0;
  },
};

export const keysRetireCommand: CliCommand = {
  name: 'keys retire',
  summary: 'Retire a signing key: tokens it signed stop working',
  usage: 'gatehouse keys retire <kid> [--config file]',
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { config: { type: 'string', short: 'c' } });
    const kid = positionals[0];
    if (!kid) {
      io.err(`Usage: ${this.usage}`);
      return 2;
    }
    const done = await withRing(io, values.config, async (ring) => {
      await ring.retire(kid);
      return true;
    });
    if (!done) return 1;
    io.out(`Key ${kid} retired.`);
    return 0;
  },
};
