import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgresDatabase, SKIP_POSTGRES, TEST_POSTGRES_URL } from '../support/databases.js';
import { serveProcess, type ServedProcess } from '../support/serve-process.js';

/**
 * Three real `gatehouse serve` processes on one PostgreSQL database, each with its own pool, caches and LISTEN
 * connection: what one instance does must hold on the others within a second (the change feed), and what they count
 * together (failed passwords) must be counted in the database, not per process.
 */
const dir = mkdtempSync(join(tmpdir(), 'gatehouse-three-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const INITIAL = 'initial-Admin-pass-1';
const PASSWORD = 'Operator passphrase 42 three';
const PUBLIC_URL = 'http://localhost:8585';
const CSRF = { 'x-requested-with': 'gatehouse', origin: PUBLIC_URL };

let database: Awaited<ReturnType<typeof freshPostgresDatabase>>;
let a: ServedProcess;
let b: ServedProcess;
let c: ServedProcess;
let admin: string;

async function call(on: ServedProcess, path: string, init: { method?: string; token?: string; body?: unknown; cookie?: string; headers?: Record<string, string> } = {}) {
  const response = await fetch(`${on.url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.cookie ? { cookie: `gatehouse_session=${init.cookie}` } : {}),
      ...init.headers,
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, json: (text ? JSON.parse(text) : {}) as Record<string, unknown>, headers: response.headers };
}

/** Milliseconds until `check` holds (polling every 10 ms), or Infinity when it does not within `ms`. */
async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    if (await check()) return Date.now() - started;
    await sleep(10);
  }
  return Number.POSITIVE_INFINITY;
}

const status = async (on: ServedProcess, init: Parameters<typeof call>[2]) => (await call(on, '/api/v1/users/loggedInUser', init)).status;

beforeAll(async () => {
  // File-level hooks run even when every test is skipped: without PostgreSQL there is nothing to start.
  if (SKIP_POSTGRES) return;
  database = await freshPostgresDatabase();
  const env = {
    GATEHOUSE_DATA_DIR: dir, DATABASE_URL: database.url, GATEHOUSE_ADMIN_PASSWORD: INITIAL,
    GATEHOUSE_ENCRYPTION_KEY: randomBytes(32).toString('base64'), GATEHOUSE_MAX_LOGIN_FAIL_ATTEMPTS: '3',
    // One public origin for all three, as behind a load balancer (cookies and the CSRF origin check use it).
    GATEHOUSE_PUBLIC_URL: PUBLIC_URL,
  };
  a = await serveProcess(env);
  [b, c] = await Promise.all([serveProcess(env), serveProcess(env)]);
  const first = await call(a, '/api/v1/users/login', { method: 'POST', body: { email: 'admin', password: b64(INITIAL) } });
  const changed = await call(a, '/api/v1/users/changePassword', { method: 'PUT', token: first.json['accessToken'] as string, body: { oldPassword: INITIAL, newPassword: PASSWORD, confirmPassword: PASSWORD } });
  expect(changed.status).toBe(200);
  admin = (await call(b, '/api/v1/users/login', { method: 'POST', body: { email: 'admin', password: b64(PASSWORD) } })).json['accessToken'] as string;
}, 180_000);

afterAll(async () => {
  await Promise.all([a, b, c].map((p) => p?.stop()));
  await database?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(SKIP_POSTGRES)('three Gatehouse processes on one PostgreSQL', () => {
  it('a session from A works on B; a logout on B is refused on A within a second', async () => {
    const signIn = await call(a, '/api/v1/auth/basic', { method: 'POST', body: { username: 'admin', password: PASSWORD }, headers: CSRF });
    expect(signIn.status).toBe(200);
    const cookie = /gatehouse_session=([^;]+)/.exec(signIn.headers.get('set-cookie') ?? '')?.[1] ?? '';
    expect(await status(b, { cookie })).toBe(200);
    expect(await status(a, { cookie })).toBe(200);
    expect((await call(b, '/api/v1/auth/logout', { method: 'POST', cookie, headers: CSRF })).status).toBe(200);
    expect(await within(1000, async () => (await status(a, { cookie })) === 401)).toBeLessThan(1000);

    // The API's sign-in (access token) too: used on A (cached there), logged out on B.
    const pair = await call(a, '/api/v1/users/login', { method: 'POST', body: { email: 'admin', password: b64(PASSWORD) } });
    const token = pair.json['accessToken'] as string;
    expect(await status(a, { token })).toBe(200);
    expect((await call(b, '/api/v1/users/logout', { method: 'POST', body: { token, username: 'admin' } })).status).toBe(200);
    expect(await within(1000, async () => (await status(a, { token })) === 401)).toBeLessThan(1000);
  });

  it('a bot token revoked on C is refused on A and B within a second, though both had it cached', async () => {
    const bot = await call(a, '/api/v1/bots', { method: 'POST', token: admin, body: { name: 'three-bot' } });
    const botUserId = (bot.json['botUser'] as { id: string }).id;
    const token = (await call(a, `/api/v1/users/generateToken/${botUserId}`, { method: 'PUT', token: admin, body: { JWTTokenExpiry: '7' } })).json['JWTToken'] as string;
    expect([await status(a, { token }), await status(b, { token })]).toEqual([200, 200]);
    expect((await call(c, '/api/v1/users/revokeToken', { method: 'PUT', token: admin, body: { id: botUserId } })).status).toBe(200);
    const [onA, onB] = await Promise.all([
      within(1000, async () => (await status(a, { token })) === 401),
      within(1000, async () => (await status(b, { token })) === 401),
    ]);
    expect([onA, onB].every((ms) => ms < 1000), `A ${onA} ms, B ${onB} ms`).toBe(true);
  });

  it('a key rotated on A is in B\'s JWKS within a second', async () => {
    const kids = async (on: ServedProcess) => ((await call(on, '/api/v1/system/config/jwks')).json['keys'] as { kid: string }[]).map((k) => k.kid);
    const before = await kids(b);
    const rotated = await call(a, '/api/v1/system/keys/rotate', { method: 'POST', token: admin, body: {} });
    expect(rotated.status, JSON.stringify(rotated.json)).toBe(200);
    const fresh = (await kids(a)).filter((kid) => !before.includes(kid));
    expect(fresh).toHaveLength(1);
    expect(await within(1000, async () => (await kids(b)).includes(fresh[0]!))).toBeLessThan(1000);
    // The old admin token was signed with the previous key, which keeps verifying until its tokens expire.
    expect(await status(c, { token: admin })).toBe(200);
  });

  it('a process whose LISTEN connection is dropped catches up by itself (revocations sent meanwhile still hold)', async () => {
    const bot = await call(a, '/api/v1/bots', { method: 'POST', token: admin, body: { name: 'deaf-bot' } });
    const botUserId = (bot.json['botUser'] as { id: string }).id;
    const token = (await call(a, `/api/v1/users/generateToken/${botUserId}`, { method: 'PUT', token: admin, body: { JWTTokenExpiry: '7' } })).json['JWTToken'] as string;
    expect([await status(b, { token }), await status(c, { token })]).toEqual([200, 200]); // cached on B and C
    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await client.connect();
    try {
      const dropped = await client.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and (query ilike 'LISTEN %' or query ilike '%pg_notify%')", [database.name]);
      expect(dropped.rowCount).toBe(3);
    } finally {
      await client.end();
    }
    // pg_stat_activity shows a connection's last statement: the feed's connection also sends the NOTIFYs.
    // Revoked while B and C cannot hear it: their feeds reconnect (after 0.5 s) and then drop what they had cached.
    expect((await call(a, '/api/v1/users/revokeToken', { method: 'PUT', token: admin, body: { id: botUserId } })).status).toBe(200);
    const [onB, onC] = await Promise.all([
      within(5000, async () => (await status(b, { token })) === 401),
      within(5000, async () => (await status(c, { token })) === 401),
    ]);
    expect([onB, onC].every((ms) => ms < 5000), `B ${onB} ms, C ${onC} ms`).toBe(true);
    // And the feed works again: a revocation afterwards arrives as fast as before.
    const token2 = (await call(a, `/api/v1/users/generateToken/${botUserId}`, { method: 'PUT', token: admin, body: { JWTTokenExpiry: '7' } })).json['JWTToken'] as string;
    expect(await within(3000, async () => (await status(b, { token: token2 })) === 200)).toBeLessThan(3000);
    expect((await call(c, '/api/v1/users/revokeToken', { method: 'PUT', token: admin, body: { id: botUserId } })).status).toBe(200);
    expect(await within(1000, async () => (await status(b, { token: token2 })) === 401)).toBeLessThan(1000);
  });

  it('failed passwords spread over A, B and C lock the account at the limit (3)', async () => {
    const wrong = (on: ServedProcess) => call(on, '/api/v1/users/login', { method: 'POST', body: { email: 'admin', password: b64('not-the-password') } });
    expect((await wrong(a)).status).toBe(401);
    expect((await wrong(b)).status).toBe(401);
    expect((await wrong(c)).status).toBe(401);
    // One failure per process, three in all: counted in the database, so the account is locked on every instance.
    for (const on of [a, b, c]) {
      expect((await call(on, '/api/v1/users/login', { method: 'POST', body: { email: 'admin', password: b64(PASSWORD) } })).status).toBe(401);
    }
  });
});
