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

const userCount = Number(process.argv[2] ?? 20);
const password = 'bench-Initial-password-1';
const newPassword = 'bench correct horse battery';
const config = loadConfigOrThrow({
  env: {
    GATEHOUSE_DATA_DIR: mkdtempSync(join(tmpdir(), 'gatehouse-storm-')),
    SERVER_PORT: '0',
    GATEHOUSE_ADMIN_PASSWORD: password,
    GATEHOUSE_LOG_LEVEL: 'warn',
    GATEHOUSE_LOGIN_RATE_LIMIT_PER_IP: '0',
    GATEHOUSE_LOGIN_RATE_LIMIT_PER_ACCOUNT: '0',
  },
});
const running = await startGatehouse(config);
const base = running.url;
const call = async (method: string, path: string, body: unknown, token?: string) => {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
};
const b64 = (s: string) => Buffer.from(s).toString('base64');
const login = async (name: string, secret: string) => String((await call('POST', '/api/v1/users/login', { email: name, password: b64(secret) }))['accessToken']);
const first = await login('admin', password);
await call('PUT', '/api/v1/users/changePassword', { oldPassword: password, newPassword, confirmPassword: newPassword }, first);
const admin = await login('admin', newPassword);
const bot = await call('POST', '/api/v1/bots', { name: 'storm-bot' }, admin);
const botUser = bot['botUser'] as { id: string };
const generated = await call('PUT', `/api/v1/users/generateToken/${botUser.id}`, { JWTTokenExpiry: '7' }, admin);

const users: Array<{ name: string; password: string }> = [];
for (let i = 0; i < userCount; i++) {
  const name = `storm${i}`;
  const own = `storm-own-Passphrase-${i}`;
  await call('POST', '/api/v1/users', { name, email: `${name}@example.com`, roles: [] }, admin);
  await call('PUT', '/api/v1/users/changePassword', { requestType: 'USER', username: name, newPassword: password, confirmPassword: password }, admin);
  // An administrator-set password must be changed by its owner before anything else.
  await call('PUT', '/api/v1/users/changePassword', { oldPassword: password, newPassword: own, confirmPassword: own }, await login(name, password));
  users.push({ name, password: own });
}
process.stdout.write(`${JSON.stringify({ port: new URL(base).port, token: generated['JWTToken'], users })}\n`);
process.on('SIGTERM', () => void running.close().finally(() => process.exit(0)));
