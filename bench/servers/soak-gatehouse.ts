// Gatehouse for the soak (bench/soak.ts), in its own process, on SQLite. Argument: how many users to create.
// Prints one JSON line {port, origin, admin, botToken, churnBotId, users: [{name, password}]} once ready: an
// administrator's token (for bot-token churn), a steady bot token (bearer traffic), the bot whose token is issued and
// revoked again and again, and users whose passwords need no change. The public URL is fixed before the start, so
// browser-style calls (session cookie, CSRF origin check) see the origin they would in production.
// The per-address and per-account sign-in rate limits are off: every soak client comes from one address.
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigOrThrow } from '../../src/config/index.js';
import { startGatehouse } from '../../src/main.js';
import { adminToken, apiClient, BENCH_ADMIN_PASSWORD, usersWithOwnPasswords } from '../lib/api-setup.js';

const userCount = Number(process.argv[2] ?? 4);

const port = await new Promise<number>((resolve, reject) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const address = probe.address();
    probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
  });
  probe.on('error', reject);
});
const origin = `http://127.0.0.1:${port}`;
const config = loadConfigOrThrow({
  env: {
    GATEHOUSE_DATA_DIR: mkdtempSync(join(tmpdir(), 'gatehouse-soak-')),
    SERVER_PORT: String(port),
    GATEHOUSE_PUBLIC_URL: origin,
    GATEHOUSE_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
    GATEHOUSE_LOG_LEVEL: 'warn',
    // The administrator's access token drives the bot-token churn for the whole soak: the longest lifetime allowed (a
    // personal access token would not do: it does not carry the administrator's rights).
    JWT_TOKEN_EXPIRY_TIME: '86400',
    GATEHOUSE_LOGIN_RATE_LIMIT_PER_IP: '0',
    GATEHOUSE_LOGIN_RATE_LIMIT_PER_ACCOUNT: '0',
  },
});
const running = await startGatehouse(config);
const client = apiClient(origin);
const { call } = client;
const admin = await adminToken(client);
const steady = ((await call('POST', '/api/v1/bots', { name: 'soak-steady' }, admin))['botUser'] as { id: string }).id;
const botToken = (await call('PUT', `/api/v1/users/generateToken/${steady}`, { JWTTokenExpiry: '7' }, admin))['JWTToken'];
const churnBotId = ((await call('POST', '/api/v1/bots', { name: 'soak-churn' }, admin))['botUser'] as { id: string }).id;

const users = await usersWithOwnPasswords(client, admin, 'soak', userCount);
process.stdout.write(`${JSON.stringify({ port: String(port), origin, admin, botToken, churnBotId, users })}\n`);
process.on('SIGTERM', () => void running.close().finally(() => process.exit(0)));
