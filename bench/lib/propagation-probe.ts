// The measuring side of the propagation benchmark: one request helper, the proof that a credential is warm in an
// observer's caches (its own /metrics counters), the poller that waits for the first refusal, and the percentiles.
import { loadavg } from 'node:os';

/** Requests kept in flight per observer while waiting for the change (each re-sent as soon as it answers). */
export const IN_FLIGHT = Number(process.env['BENCH_PROP_IN_FLIGHT'] ?? 2);
/** A change not seen within this long counts as missed (reported, never dropped). */
export const GIVE_UP_MS = Number(process.env['BENCH_PROP_GIVE_UP_MS'] ?? 3000);

export interface Probe {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface Answer {
  status: number;
  text: string;
  /** performance.now() when the answer (headers and body) had arrived. */
  at: number;
}

export async function send(base: string, probe: Probe): Promise<Answer> {
  const response = await fetch(`${base}${probe.path}`, {
    method: probe.method ?? 'GET',
    headers: { ...(probe.body === undefined ? {} : { 'content-type': 'application/json' }), ...probe.headers },
    ...(probe.body === undefined ? {} : { body: JSON.stringify(probe.body) }),
  });
  const text = await response.text();
  return { status: response.status, text, at: performance.now() };
}

/** send(), but anything other than `status` throws: set-up steps must not fail silently. */
export async function expectStatus(base: string, probe: Probe, status = 200): Promise<Answer> {
  const answer = await send(base, probe);
  if (answer.status !== status) throw new Error(`${probe.method ?? 'GET'} ${base}${probe.path}: expected ${status}, got ${answer.status} ${answer.text.slice(0, 300)}`);
  return answer;
}

type Counts = Map<string, number>;

async function cacheCounts(base: string): Promise<Counts> {
  const text = (await expectStatus(base, { path: '/metrics' })).text;
  const counts: Counts = new Map();
  for (const match of text.matchAll(/^gatehouse_cache_lookups_total\{([^}]*)\} (\S+)$/gm)) {
    const cache = /cache="([^"]+)"/.exec(match[1] ?? '')?.[1];
    const result = /result="([^"]+)"/.exec(match[1] ?? '')?.[1];
    counts.set(`${cache}/${result}`, Number(match[2]));
  }
  return counts;
}

/** Which caches must answer the warm request: `hit` must each count a hit, every one of `hit` and `noMiss` no miss. */
export interface Warmth {
  hit: readonly string[];
  /** Caches consulted only when something changed: a bearer token's principal is reused while its cache entry stands. */
  noMiss?: readonly string[];
}

/**
 * Proves that `probe` is answered `status` by the observer from its caches: it is sent once (which fills them), then
 * again between two reads of the observer's lookup counters, which must show the hits and no miss (`warmth`).
 */
export async function proveWarm(base: string, probe: Probe, warmth: Warmth, status = 200): Promise<void> {
  await expectStatus(base, probe, status);
  const before = await cacheCounts(base);
  await expectStatus(base, probe, status);
  const after = await cacheCounts(base);
  const delta = (cache: string, result: string) => (after.get(`${cache}/${result}`) ?? 0) - (before.get(`${cache}/${result}`) ?? 0);
  for (const cache of [...warmth.hit, ...(warmth.noMiss ?? [])]) {
    if ((warmth.hit.includes(cache) && delta(cache, 'hit') < 1) || delta(cache, 'miss') !== 0) {
      throw new Error(`${base}${probe.path}: not warm in the ${cache} cache (hits +${delta(cache, 'hit')}, misses +${delta(cache, 'miss')})`);
    }
  }
}

/**
 * Sends `probe` to the observer with IN_FLIGHT requests always in flight until one answer satisfies `seen`; resolves
 * with the arrival time of the first such answer, or null after GIVE_UP_MS.
 */
export async function firstSeen(base: string, probe: Probe, seen: (answer: Answer) => boolean): Promise<number | null> {
  const deadline = performance.now() + GIVE_UP_MS;
  let first: number | null = null;
  const worker = async () => {
    while (first === null && performance.now() < deadline) {
      const answer = await send(base, probe);
      if (seen(answer) && (first === null || answer.at < first)) first = answer.at;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return first;
}

/** Milliseconds per observation: from the change's response and from the moment it was sent; null = missed. */
export interface Observation {
  fromResponse: number | null;
  fromSent: number | null;
}

export function observe(sentAt: number, respondedAt: number, seenAt: number | null): Observation {
  return seenAt === null ? { fromResponse: null, fromSent: null } : { fromResponse: seenAt - respondedAt, fromSent: seenAt - sentAt };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

/** "p50 … p95 … p99 … max … (n = …, missed …)" for one kind, both clocks. */
export function summary(label: string, list: readonly Observation[], target?: number): string {
  const line = (pick: (o: Observation) => number | null) => {
    const sorted = list.map(pick).filter((v): v is number => v !== null).sort((a, b) => a - b);
    if (!sorted.length) return `nothing seen within ${GIVE_UP_MS} ms`;
    const f = (v: number) => v.toFixed(1).padStart(6);
    return `p50 ${f(percentile(sorted, 50))}  p95 ${f(percentile(sorted, 95))}  p99 ${f(percentile(sorted, 99))}  max ${f(sorted.at(-1) ?? Number.NaN)} ms`;
  };
  const missed = list.filter((o) => o.fromResponse === null).length;
  const sorted = list.map((o) => o.fromResponse).filter((v): v is number => v !== null).sort((a, b) => a - b);
  const verdict = target === undefined ? '' : percentile(sorted, 99) < target && missed === 0 ? `  (target p99 < ${target} ms: met)` : `  (target p99 < ${target} ms: MISSED)`;
  return `${label}\n    from the change's response: ${line((o) => o.fromResponse)}  n = ${list.length}, missed ${missed}${verdict}\n` +
    `    from the change being sent: ${line((o) => o.fromSent)}`;
}

export const loadLine = () => `load average ${loadavg().map((v) => v.toFixed(2)).join(' / ')} (1 / 5 / 15 min)`;
