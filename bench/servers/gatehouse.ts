// Runs Gatehouse for the benchmark in its own process (so the load generator does not share its event loop).
// Prints one JSON line {port, token, listenMs, pats?} once it is ready: the token is a fresh bot token made through the
// public API; listenMs is the time from process start to listening. `--pats N` also issues N personal access tokens
// (through the token service, to save the set-up time of N HTTP calls) and writes them, one a line, to the file `pats`.
// `--gateway FILE` runs with that config file (the gateway's access rules) and also prints `cookie`: a browser session
// of the admin (name=value), made through the password sign-in the UI uses.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigOrThrow } from '../../src/config/index.js';
import { startGatehouse } from '../../src/main.js';
import { adminToken, apiClient, BENCH_ADMIN_NEW_PASSWORD, BENCH_ADMIN_PASSWORD } from '../lib/api-setup.js';

const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
const gatewayFile = process.argv.includes('--gateway') ? process.argv[process.argv.indexOf('--gateway') + 1] : undefined;
const config = loadConfigOrThrow({
  env: { GATEHOUSE_DATA_DIR: dataDir, SERVER_PORT: '0', GATEHOUSE_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD, GATEHOUSE_LOG_LEVEL: 'warn', ...(gatewayFile ? { GATEHOUSE_CONFIG: gatewayFile } : {}) },
});
const running = await startGatehouse(config);
const listenMs = Math.round(performance.now());
const base = running.url;
const client = apiClient(base);
const { call } = client;
const admin = await adminToken(client);
const bot = await call('POST', '/api/v1/bots', { name: 'bench-bot' }, admin);
const botUser = bot['botUser'] as { id: string };
const generated = await call('PUT', `/api/v1/users/generateToken/${botUser.id}`, { JWTTokenExpiry: '7' }, admin);

const patCount = Number(process.argv[process.argv.indexOf('--pats') + 1] ?? 0);
let pats: string | undefined;
if (process.argv.includes('--pats') && patCount > 0) {
  const me = await call('GET', '/api/v1/users/loggedInUser', undefined, admin);
  const { users, tokens } = running.gatehouse.appDeps;
  const row = await users.rowById(String(me['id']));
  if (!row) throw new Error('admin row missing');
  const lines: string[] = [];
  for (let i = 0; i < patCount; i++) lines.push((await tokens.issuePersonalToken(row, ['Admin'], { name: `bench-${i}`, expiry: '7', scopes: null })).token);
  pats = join(dataDir, 'pats.txt');
  writeFileSync(pats, lines.join('\n'));
}
let cookie: string | undefined;
if (gatewayFile) {
  const origin = new URL(config.server.publicUrl).origin;
  const res = await fetch(`${base}/api/v1/auth/basic`, {
    method: 'POST', headers: { 'content-type': 'application/json', origin, 'x-requested-with': 'gatehouse' },
    body: JSON.stringify({ username: 'admin', password: BENCH_ADMIN_NEW_PASSWORD }),
  });
  cookie = res.headers.getSetCookie().find((c) => c.includes('gatehouse_session='))?.split(';')[0];
  if (!res.ok || !cookie) throw new Error(`browser sign-in: ${res.status} ${await res.text()}`);
}
process.stdout.write(`${JSON.stringify({ port: new URL(base).port, token: generated['JWTToken'], listenMs, ...(pats ? { pats } : {}), ...(cookie ? { cookie } : {}) })}\n`);
process.on('SIGTERM', () => void running.close().finally(() => process.exit(0)));
