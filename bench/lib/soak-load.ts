// The soak's traffic (bench/soak.ts): paced loops of what real clients do, each answer checked against what it must be.
// A refusal the flow expects (a revoked token, an ended session: 401) counts as a success of its own kind; every other
// unexpected status or network error is an error.
import { setTimeout as sleep } from 'node:timers/promises';

export interface SoakInfo {
  origin: string;
  /** An administrator's personal access token: issues and revokes the churn bot's tokens. */
  admin: string;
  /** A bot token that stays valid: the steady bearer traffic. */
  botToken: string;
  churnBotId: string;
  users: Array<{ name: string; password: string }>;
}

export const KINDS = ['sign-in', 'session', 'bearer', 'token-create', 'token-revoke', 'sign-out', 'refused'] as const;
export type Kind = (typeof KINDS)[number];

/** Counts per kind, errors with the first few samples. */
export class Tally {
  readonly ok: Record<Kind, number> = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>;
  errors = 0;
  readonly samples: string[] = [];

  error(what: string): void {
    this.errors += 1;
    if (this.samples.length < 10) this.samples.push(what);
  }

  total(): number {
    return KINDS.reduce((sum, k) => sum + this.ok[k], 0);
  }
}

interface Call {
  method?: string;
  body?: unknown;
  token?: string;
  cookie?: string;
}

/** One request; counts it under `kind` when the status is `expected`, else as an error. Returns the answer or null. */
async function call(t: Tally, info: SoakInfo, kind: Kind, expected: number, path: string, init: Call = {}): Promise<Response | null> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.token) headers['authorization'] = `Bearer ${init.token}`;
  // Cookie-authenticated writes carry what the browser UI sends (the CSRF rules).
  if (init.cookie !== undefined || path === '/api/v1/auth/basic') Object.assign(headers, { 'x-requested-with': 'gatehouse', origin: info.origin });
  if (init.cookie) headers['cookie'] = `gatehouse_session=${init.cookie}`;
  try {
    const response = await fetch(`${info.origin}${path}`, { method, headers, ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}) });
    const text = await response.text();
    if (response.status !== expected) {
      t.error(`${kind} ${method} ${path}: ${response.status} (expected ${expected}) ${text.slice(0, 160)}`);
      return null;
    }
    t.ok[kind] += 1;
    return new Response(text, { status: response.status, headers: response.headers });
  } catch (error) {
    t.error(`${kind} ${method} ${path}: ${(error as Error).message}`);
    return null;
  }
}

const json = async (r: Response | null): Promise<Record<string, unknown>> => (r ? ((await r.json()) as Record<string, unknown>) : {});
const ME = '/api/v1/users/loggedInUser';

/**
 * One user's round, as a browser and a script would do it: sign in with a session cookie, use it, create a personal
 * access token, use it, revoke it (refused afterwards), sign out (refused afterwards); then the API's password sign-in,
 * its access token, its logout (refused afterwards).
 */
export async function userRound(t: Tally, info: SoakInfo, user: SoakInfo['users'][number], calls: number): Promise<void> {
  const signIn = await call(t, info, 'sign-in', 200, '/api/v1/auth/basic', { method: 'POST', body: { username: user.name, password: user.password } });
  const cookie = /gatehouse_session=([^;]+)/.exec(signIn?.headers.get('set-cookie') ?? '')?.[1];
  if (cookie) {
    for (let i = 0; i < calls; i++) await call(t, info, 'session', 200, ME, { cookie });
    const pat = await json(await call(t, info, 'token-create', 200, '/api/v1/users/security/token', { method: 'PUT', cookie, body: { tokenName: `soak-${Date.now()}`, JWTTokenExpiry: '1' } }));
    if (typeof pat['JWTToken'] === 'string') {
      for (let i = 0; i < calls; i++) await call(t, info, 'bearer', 200, ME, { token: pat['JWTToken'] });
      await call(t, info, 'token-revoke', 200, '/api/v1/users/security/token/revoke', { method: 'PUT', cookie, body: { tokenIds: [pat['id']] } });
      await call(t, info, 'refused', 401, ME, { token: pat['JWTToken'] });
    }
    await call(t, info, 'sign-out', 200, '/api/v1/auth/logout', { method: 'POST', cookie });
    await call(t, info, 'refused', 401, ME, { cookie });
  }
  const password = Buffer.from(user.password).toString('base64');
  const pair = await json(await call(t, info, 'sign-in', 200, '/api/v1/users/login', { method: 'POST', body: { email: user.name, password } }));
  if (typeof pair['accessToken'] === 'string') {
    for (let i = 0; i < calls; i++) await call(t, info, 'bearer', 200, ME, { token: pair['accessToken'] });
    await call(t, info, 'sign-out', 200, '/api/v1/users/logout', { method: 'POST', body: { token: pair['accessToken'], refreshToken: pair['refreshToken'] } });
    await call(t, info, 'refused', 401, ME, { token: pair['accessToken'] });
  }
}

/** An administrator issues the churn bot a token, the bot uses it, the administrator revokes it (refused afterwards). */
export async function botChurnRound(t: Tally, info: SoakInfo): Promise<void> {
  const made = await json(await call(t, info, 'token-create', 200, `/api/v1/users/generateToken/${info.churnBotId}`, { method: 'PUT', token: info.admin, body: { JWTTokenExpiry: '1' } }));
  if (typeof made['JWTToken'] !== 'string') return;
  for (let i = 0; i < 3; i++) await call(t, info, 'bearer', 200, ME, { token: made['JWTToken'] });
  await call(t, info, 'token-revoke', 200, '/api/v1/users/revokeToken', { method: 'PUT', token: info.admin, body: { id: info.churnBotId } });
  await call(t, info, 'refused', 401, ME, { token: made['JWTToken'] });
}

/** Steady bearer calls with the long-lived bot token, paced to `perSecond` (this loop alone). */
export async function steadyBearer(t: Tally, info: SoakInfo, perSecond: number): Promise<void> {
  const started = performance.now();
  await call(t, info, 'bearer', 200, ME, { token: info.botToken });
  await sleep(Math.max(0, 1000 / perSecond - (performance.now() - started)));
}

/** Runs `round` again and again until `until` (ms, performance.now()), pausing `pauseMs` between rounds. */
export async function loop(until: number, pauseMs: number, round: () => Promise<void>): Promise<void> {
  while (performance.now() < until) {
    await round();
    if (pauseMs > 0) await sleep(pauseMs);
  }
}
