// `npm run bench`: bearer authentication cost, measured against baselines in the same run (never asserted in tests).
// 1. Gatehouse, same route, without and with a bot token (target: >= 0.85 of the unauthenticated throughput).
// 2. Gatehouse with the token vs express + express-jwt + jwks-rsa with the same token (target: >= 5x).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';

const DURATION = Number(process.env['BENCH_SECONDS'] ?? 6);
const CONNECTIONS = 32;

async function startServer(script: string, args: string[] = []): Promise<{ child: ChildProcess; info: Record<string, string> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await once(lines, 'line')) as [string];
  return { child, info: JSON.parse(line) as Record<string, string> };
}

async function measure(name: string, url: string, headers: Record<string, string>): Promise<number> {
  // A short warm-up fills caches and lets the JIT settle before the measured run.
  await autocannon({ url, headers, connections: CONNECTIONS, duration: 2 });
  const result = await autocannon({ url, headers, connections: CONNECTIONS, duration: DURATION });
  const bad = result.non2xx + result.errors;
  if (bad > 0) throw new Error(`${name}: ${bad} failed requests`);
  console.log(`${name.padEnd(48)} ${result.requests.average.toFixed(0).padStart(8)} req/s  p99 ${result.latency.p99} ms`);
  return result.requests.average;
}

const gatehouse = await startServer('bench/servers/gatehouse.ts');
const base = `http://127.0.0.1:${gatehouse.info['port']}`;
const token = String(gatehouse.info['token']);
const issuer = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()).iss as string;
const reference = await startServer('bench/servers/express-reference.ts', [`${base}/api/v1/system/config/jwks`, issuer]);
const refBase = `http://127.0.0.1:${reference.info['port']}`;
const route = '/api/v1/system/version';
const auth = { authorization: `Bearer ${token}` };
try {
  console.log(`Each run: ${DURATION}s, ${CONNECTIONS} connections, GET ${route}, loopback, 2 cores shared with the load generator.`);
  // Interleaved rounds, so drift of the shared machine (the load generator runs on the same 2 cores) hits every variant.
  const rounds = Number(process.env['BENCH_ROUNDS'] ?? 2);
  let plain = 0;
  let padded = 0;
  let bearer = 0;
  for (let r = 0; r < rounds; r++) {
    bearer += await measure('gatehouse, bot bearer token', `${base}${route}`, auth);
    plain += await measure('gatehouse, no credentials', `${base}${route}`, {});
    // Same request size as the bearer run, without credentials: separates HTTP parsing of a ~1 KB header from auth work.
    padded += await measure('gatehouse, no credentials, same-size header', `${base}${route}`, { 'x-padding': `Bearer ${token}` });
  }
  plain /= rounds;
  padded /= rounds;
  bearer /= rounds;
  const express = await measure('express + express-jwt + jwks-rsa, same token', `${refBase}${route}`, auth);
  console.log('');
  console.log(`ratio bearer / unauthenticated (target >= 0.85): ${(bearer / plain).toFixed(2)}`);
  console.log(`ratio bearer / unauthenticated with a same-size header: ${(bearer / padded).toFixed(2)}`);
  console.log(`ratio gatehouse / express-jwt reference (target >= 5): ${(bearer / express).toFixed(2)}`);
} finally {
  gatehouse.child.kill('SIGTERM');
  reference.child.kill('SIGTERM');
}
