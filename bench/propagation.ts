// `npm run bench -- propagation`: three `gatehouse serve` processes on one PostgreSQL database (created for the run,
// dropped after it); how long a change made on one instance takes to hold on the others (issue 12, target p99 < 200 ms
// for revocations). Every sample first proves the credential works on each observer AND is answered from its caches
// (the observer's own cache-lookup counters), then makes the change, then polls the observers with requests always in
// flight (BENCH_PROP_IN_FLIGHT, default 2 each) and records the first refusal, from the change's response and from the
// moment it was sent. Kinds: bot and personal token revoked on C seen on A and B; a browser session logged out on B
// seen on A, and an API sign-in's access token likewise; a permission removed from a role on A enforced on B (and given back); a key rotated on A in B's JWKS.
import { randomBytes } from 'node:crypto';
import { apiClient, adminToken, BENCH_ADMIN_NEW_PASSWORD, BENCH_ADMIN_PASSWORD } from './lib/api-setup.js';
import { cpus, pinned } from './lib/harness.js';
import { createBenchDatabase, postgresMissing, scratchDir, startInstance, type Instance } from './lib/instances.js';
import { expectStatus, firstSeen, GIVE_UP_MS, IN_FLIGHT, loadLine, observe, proveWarm, summary, type Observation, type Probe, type Warmth } from './lib/propagation-probe.js';

const SAMPLES = Number(process.env['BENCH_PROP_SAMPLES'] ?? 200);
// A rotation makes a 2048-bit RSA key and every retiring key stays published for its grace period: fewer by default.
const KEY_SAMPLES = Number(process.env['BENCH_PROP_KEY_SAMPLES'] ?? 50);
const TARGET_MS = 200;
const PUBLIC_URL = 'http://localhost:8585';
const CSRF = { 'x-requested-with': 'gatehouse', origin: PUBLIC_URL };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
// A cached bearer token reuses the principal it was verified with while the user's principal-cache entry stands (no
// lookup counted); a missing entry would count a miss.
const BEARER_WARM: Warmth = { hit: ['verified-tokens'], noMiss: ['principals'] };
const me = (headers: Record<string, string>): Probe => ({ path: '/api/v1/users/loggedInUser', headers });

/** One change on `on` and the first answer on each observer that shows it. */
async function change(on: Instance, probe: Probe, observers: readonly { at: Instance; probe: Probe; seen: (status: number, text: string) => boolean }[]): Promise<Observation[]> {
  const sentAt = performance.now();
  const respondedAt = (await expectStatus(on.url, probe)).at;
  const seenAt = await Promise.all(observers.map((o) => firstSeen(o.at.url, o.probe, (answer) => o.seen(answer.status, answer.text))));
  return seenAt.map((at) => observe(sentAt, respondedAt, at));
}

const missing = await postgresMissing();
if (missing) {
  console.log(`(skipped: ${missing})`);
  process.exit(0);
}
const database = await createBenchDatabase();
const dir = scratchDir();
const instances: Instance[] = [];
const started = performance.now();
try {
  const env = {
    GATEHOUSE_DATA_DIR: dir.path, DATABASE_URL: database.url, GATEHOUSE_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
    GATEHOUSE_ENCRYPTION_KEY: randomBytes(32).toString('base64'), GATEHOUSE_PUBLIC_URL: PUBLIC_URL,
    // The logout kind signs in once per sample; the per-instance sign-in limits are not what is measured.
    GATEHOUSE_LOGIN_RATE_LIMIT_PER_IP: '0', GATEHOUSE_LOGIN_RATE_LIMIT_PER_ACCOUNT: '0',
  };
  // A first (it migrates the database and seeds the administrator), then B and C.
  const a = await startInstance('A', env);
  instances.push(a);
  // Each one stopped at the end even when the other failed to start.
  const others = [startInstance('B', env), startInstance('C', env)] as const;
  for (const one of others) void one.then((i) => instances.push(i), () => {});
  const [b, c] = await Promise.all(others);
  const api = apiClient(a.url);
  const admin = await adminToken(api);
  const adminAuth = bearer(admin);
  console.log(`propagation: 3 instances (${pinned ? `pinned to CPU ${cpus - 1}, this client to CPU 0` : 'no CPU pinning'}), PostgreSQL database ${database.name}; ` +
    `${SAMPLES} samples per kind (${KEY_SAMPLES} key rotations), ${IN_FLIGHT} requests in flight per observer, give up after ${GIVE_UP_MS} ms; ${loadLine()}`);
  const results: Record<string, Observation[]> = {};
  const seconds: Record<string, number> = {};
  let phase = performance.now();
  const add = (kind: string, list: Observation[]) => {
    results[kind] = [...(results[kind] ?? []), ...list];
    seconds[kind] = (seconds[kind] ?? 0) + (performance.now() - phase) / 1000;
    phase = performance.now();
  };
  const refused = (status: number) => status === 401;

  // Bot token: issued on C, cached on A and B, revoked on C.
  const bot = await api.call('POST', '/api/v1/bots', { name: 'prop-bot' }, admin);
  const botUserId = (bot['botUser'] as { id: string }).id;
  for (let i = 0; i < SAMPLES; i++) {
    const token = (JSON.parse((await expectStatus(c.url, { method: 'PUT', path: `/api/v1/users/generateToken/${botUserId}`, headers: adminAuth, body: { JWTTokenExpiry: '7' } })).text) as { JWTToken: string }).JWTToken;
    await Promise.all([a, b].map((at) => proveWarm(at.url, me(bearer(token)), BEARER_WARM)));
    add('bot token revoked on C, refused on A and B', await change(c, { method: 'PUT', path: '/api/v1/users/revokeToken', headers: adminAuth, body: { id: botUserId } },
      [a, b].map((at) => ({ at, probe: me(bearer(token)), seen: refused }))));
  }

  // Personal access token of the administrator: made on C, cached on A and B, revoked on C.
  for (let i = 0; i < SAMPLES; i++) {
    const made = JSON.parse((await expectStatus(c.url, { method: 'PUT', path: '/api/v1/users/security/token', headers: adminAuth, body: { tokenName: `prop-${i}`, JWTTokenExpiry: '7' } })).text) as { id: string; JWTToken: string };
    await Promise.all([a, b].map((at) => proveWarm(at.url, me(bearer(made.JWTToken)), BEARER_WARM)));
    add('personal token revoked on C, refused on A and B', await change(c, { method: 'PUT', path: '/api/v1/users/security/token/revoke', headers: adminAuth, body: { tokenIds: [made.id] } },
      [a, b].map((at) => ({ at, probe: me(bearer(made.JWTToken)), seen: refused }))));
  }

  // Browser session: signed in on B, cached on A (session row and principal), logged out on B.
  for (let i = 0; i < SAMPLES; i++) {
    const signIn = await fetch(`${b.url}/api/v1/auth/basic`, { method: 'POST', headers: { 'content-type': 'application/json', ...CSRF }, body: JSON.stringify({ username: 'admin', password: BENCH_ADMIN_NEW_PASSWORD }) });
    await signIn.arrayBuffer();
    const cookie = /gatehouse_session=([^;]+)/.exec(signIn.headers.get('set-cookie') ?? '')?.[1];
    if (signIn.status !== 200 || !cookie) throw new Error(`sign-in on B: ${signIn.status}`);
    const withCookie = { cookie: `gatehouse_session=${cookie}` };
    await proveWarm(a.url, me(withCookie), { hit: ['sessions'], noMiss: ['principals'] });
    add('session logged out on B, refused on A', await change(b, { method: 'POST', path: '/api/v1/auth/logout', headers: { ...withCookie, ...CSRF } },
      [{ at: a, probe: me(withCookie), seen: refused }]));
  }

  // The API's password sign-in (OpenMetadata's /users/login): its access token cached on A, the sign-in ended on B.
  for (let i = 0; i < SAMPLES; i++) {
    const token = await apiClient(b.url).login('admin', BENCH_ADMIN_NEW_PASSWORD);
    await proveWarm(a.url, me(bearer(token)), BEARER_WARM);
    add('API sign-in logged out on B, its access token refused on A', await change(b, { method: 'POST', path: '/api/v1/users/logout', body: { token } },
      [{ at: a, probe: me(bearer(token)), seen: refused }]));
  }

  // Role: a bot whose only role grants user:view; the permission removed on A must be enforced on B (403), then given back.
  const role = await api.call('POST', '/api/v1/roles', { name: 'PropViewer', permissions: ['user:view'] }, admin);
  const viewer = await api.call('POST', '/api/v1/bots', { name: 'prop-viewer', roles: ['PropViewer'] }, admin);
  const viewerToken = String((await api.call('PUT', `/api/v1/users/generateToken/${(viewer['botUser'] as { id: string }).id}`, { JWTTokenExpiry: '7' }, admin))['JWTToken']);
  const viewProbe: Probe = { path: '/api/v1/users/checkEmailInUse/nobody@example.com', headers: bearer(viewerToken) };
  const setPermissions = (permissions: string[]): Probe => ({ method: 'PATCH', path: `/api/v1/roles/${String(role['id'])}`, headers: adminAuth, body: { permissions } });
  for (let i = 0; i < SAMPLES; i++) {
    await proveWarm(b.url, viewProbe, BEARER_WARM);
    add('permission removed from a role on A, refused (403) on B', await change(a, setPermissions([]), [{ at: b, probe: viewProbe, seen: (s) => s === 403 }]));
    // The refusals above left the reduced principal cached on B: giving the permission back must reach it too.
    add('permission given back on A, allowed on B (new state)', await change(a, setPermissions(['user:view']), [{ at: b, probe: viewProbe, seen: (s) => s === 200 }]));
  }

  // Signing key: rotated on A, in B's JWKS (B keeps its key ring in memory; the feed makes it reload).
  const kids = (text: string) => ((JSON.parse(text) as { keys: { kid: string }[] }).keys).map((k) => k.kid);
  let published = 0;
  for (let i = 0; i < KEY_SAMPLES; i++) {
    const jwks: Probe = { path: '/api/v1/system/config/jwks' };
    const before = kids((await expectStatus(b.url, jwks)).text);
    published = before.length;
    const sentAt = performance.now();
    const rotated = await expectStatus(a.url, { method: 'POST', path: '/api/v1/system/keys/rotate', headers: adminAuth, body: {} });
    const kid = (JSON.parse(rotated.text) as { kid: string }).kid;
    const seenAt = await firstSeen(b.url, jwks, (answer) => answer.status === 200 && kids(answer.text).includes(kid));
    add('key rotated on A, in B\'s JWKS', [observe(sentAt, rotated.at, seenAt)]);
  }

  console.log(`\nResults (${((performance.now() - started) / 1000).toFixed(0)} s in all; ${loadLine()}):`);
  for (const [kind, list] of Object.entries(results)) console.log(`  ${summary(`${kind} (${(seconds[kind] ?? 0).toFixed(0)} s with set-up)`, list, /revoked|logged out/.test(kind) ? TARGET_MS : undefined)}`);
  console.log(`  (B's JWKS listed ${published + 1} keys by the last rotation: each rotation leaves a retiring key published.)\n`);
} finally {
  await Promise.all(instances.map((i) => i.stop()));
  await database.drop();
  dir.remove();
}
