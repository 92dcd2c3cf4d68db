// Gatehouse for the sign-in storm benchmark (bench/storm.ts), in its own process. Arguments: how many users to create.
// Prints one JSON line {port, token, users: [{name, password}]} once ready: a bot token for the bearer traffic and users
// whose passwords need no change, made through the public API.
// The per-address and per-account rate limits are off: the storm comes from one address (the benchmark), and the point
// is the bound on hashing itself (the worst case: many people behind one NAT signing in at once).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigOrThrow } from '../../src/config/index.js';
import { startGatehouse } from '../../src/main.js';
import { adminToken, apiClient, BENCH_ADMIN_PASSWORD, usersWithOwnPasswords } from '../lib/api-setup.js';

const userCount = Number(process.argv[2] ?? 20);
const config = loadConfigOrThrow({
  env: {
    GATEHOUSE_DATA_DIR: mkdtempSync(join(tmpdir(), 'gatehouse-storm-')),
    SERVER_PORT: '0',
    GATEHOUSE_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
    GATEHOUSE_LOG_LEVEL: 'warn',
    GATEHOUSE_LOGIN_RATE_LIMIT_PER_IP: '0',
    GATEHOUSE_LOGIN_RATE_LIMIT_PER_ACCOUNT: '0',
  },
});
const running = await startGatehouse(config);
const base = running.url;
const client = apiClient(base);
const { call } = client;
const admin = await adminToken(client);
const bot = await call('POST', '/api/v1/bots', { name: 'storm-bot' }, admin);
const botUser = bot['botUser'] as { id: string };
const generated = await call('PUT', `/api/v1/users/generateToken/${botUser.id}`, { JWTTokenExpiry: '7' }, admin);

const users = await usersWithOwnPasswords(client, admin, 'storm', userCount);
process.stdout.write(`${JSON.stringify({ port: new URL(base).port, token: generated['JWTToken'], users })}\n`);
process.on('SIGTERM', () => void running.close().finally(() => process.exit(0)));
