// Gatehouse on an already seeded database, for the scale benchmark (bench/scale.ts), in its own process.
// Arguments: `--db URL` (sqlite:<file> or postgres://…), `--data DIR` (the data folder: the key that encrypts the signing
// key, so the servers of one database must share it and start one after the other), `--users FILE` (user ids, one a line: each gets one personal
// access token, written one a line to FILE.pats; the other server of the database accepts them too), `--gateway FILE` (the gateway's rules), `--cold` (every per-instance
// cache bounded to one entry, so credentials sent round-robin miss every cache on every request).
// Prints one JSON line {port, pats} once it is ready.
import { readFileSync, writeFileSync } from 'node:fs';
import { loadConfigOrThrow } from '../../src/config/index.js';
import { startGatehouse } from '../../src/main.js';
import { BENCH_ADMIN_PASSWORD } from '../lib/api-setup.js';

const arg = (name: string): string => {
  const at = process.argv.indexOf(name);
  const value = at < 0 ? undefined : process.argv[at + 1];
  if (!value) throw new Error(`missing ${name}`);
  return value;
};
const usersFile = process.argv.includes('--users') ? arg('--users') : undefined;
const cold = process.argv.includes('--cold');
const config = loadConfigOrThrow({
  env: {
    GATEHOUSE_DATA_DIR: arg('--data'), DATABASE_URL: arg('--db'), SERVER_PORT: '0',
    GATEHOUSE_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD, GATEHOUSE_LOG_LEVEL: 'warn', GATEHOUSE_CONFIG: arg('--gateway'),
  },
});
const one = { sessions: 1, principals: 1, userViews: 1, verifiedTokens: 1 };
const running = await startGatehouse(config, cold ? { cacheSizes: one } : {});
const { users, tokens } = running.gatehouse.appDeps;
let pats: string | undefined;
if (usersFile) {
  const lines: string[] = [];
  for (const [i, id] of readFileSync(usersFile, 'utf8').split('\n').filter(Boolean).entries()) {
    const row = await users.rowById(id);
    if (!row) throw new Error(`seeded user ${id} missing`);
    lines.push((await tokens.issuePersonalToken(row, ['DataConsumer'], { name: `scale-${i}`, expiry: '7', scopes: null })).token);
  }
  pats = `${usersFile}.pats`;
  writeFileSync(pats, lines.join('\n'));
}
process.stdout.write(`${JSON.stringify({ port: new URL(running.url).port, ...(pats ? { pats } : {}) })}\n`);
process.on('SIGTERM', () => void running.close().finally(() => process.exit(0)));
