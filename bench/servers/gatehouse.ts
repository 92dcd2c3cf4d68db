// Runs Gatehouse for the benchmark in its own process (so the load generator does not share its event loop).
// Prints one JSON line {port, token} once it is ready: the token is a fresh bot token made through the public API.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigOrThrow } from '../../src/config/index.js';
import { startGatehouse } from '../../src/main.js';

const password = 'bench-Initial-password-1';
const newPassword = 'bench correct horse battery';
const config = loadConfigOrThrow({
  env: {
    GATEHOUSE_DATA_DIR: mkdtempSync(join(tmpdir(), 'gatehouse-bench-')),
    SERVER_PORT: '0',
    GATEHOUSE_ADMIN_PASSWORD: password,
    GATEHOUSE_LOG_LEVEL: 'warn',
  },
});
const running = await startGatehouse(config);
const base = running.url;
const post = async (method: string, path: string, body: unknown, token?: string) => {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
};
const b64 = (s: string) => Buffer.from(s).toString('base64');
const first = await post('POST', '/api/v1/users/login', { email: 'admin', password: b64(password) });
await post('PUT', '/api/v1/users/changePassword', { oldPassword: password, newPassword, confirmPassword: newPassword }, String(first['accessToken']));
const admin = String((await post('POST', '/api/v1/users/login', { email: 'admin', password: b64(newPassword) }))['accessToken']);
const bot = await post('POST', '/api/v1/bots', { name: 'bench-bot' }, admin);
const botUser = bot['botUser'] as { id: string };
const generated = await post('PUT', `/api/v1/users/generateToken/${botUser.id}`, { JWTTokenExpiry: '7' }, admin);
process.stdout.write(`${JSON.stringify({ port: new URL(base).port, token: generated['JWTToken'] })}\n`);
process.on('SIGTERM', () => void running.close().finally(() => process.exit(0)));
