// `npm run bench -- first-use`: personal access tokens, each sent exactly once (nothing cached: signature, record lookup,
// principal), vs fastify + jose.jwtVerify on every request with the same tokens (target >= 1.2).
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { CONNECTIONS, cpuMs, ratioLine, ROUNDS, setupLine, startServer, type Measured, type Server } from './lib/harness.js';

const AMOUNT = Number(process.env['BENCH_FIRST_USE_REQUESTS'] ?? 1500);
const WARM = 300;
const gatehouse = await startServer('bench/servers/gatehouse.ts', ['--pats', String(WARM + ROUNDS * AMOUNT)]);
const tokens = readFileSync(String(gatehouse.info['pats']), 'utf8').split('\n');
const issuer = JSON.parse(Buffer.from((tokens[0] ?? '').split('.')[1] ?? '', 'base64url').toString()).iss as string;
const jose = await startServer('bench/servers/jose-lru-reference.ts', [`${gatehouse.url}/api/v1/system/config/jwks`, issuer, '--no-cache']);

/** Sends each of `list` once (in order, across the connections); the rate of the whole batch. */
async function sendEach(name: string, server: Server, list: string[]): Promise<Measured> {
  let next = 0;
  const before = cpuMs(server.child.pid);
  const result = await autocannon({
    url: `${server.url}/api/v1/users/loggedInUser`, connections: Math.min(CONNECTIONS, 32), amount: list.length, timeout: 30,
    // autocannon notices that `amount` is reached only at its sampling tick (1 s by default): every run under a second
    // then read as the same rate (the first figures of this bench: 1,485 req/s for both servers, ratio 1.00 in every round).
    sampleInt: 10,
    requests: [{ setupRequest: (request) => ({ ...request, headers: { ...request.headers, authorization: `Bearer ${list[next++ % list.length]}` } }) }],
  });
  const after = cpuMs(server.child.pid);
  // A refused token is a bug; a time-out on a saturated shared machine is noise, counted and shown.
  if (result.non2xx > 0) throw new Error(`${name}: ${result.non2xx} refused requests`);
  const lost = result.errors ? `  (${result.errors} errors/time-outs)` : '';
  const cpuUs = before === null || after === null ? null : ((after - before) * 1000) / result.requests.total;
  const rps = result.requests.total / result.duration;
  console.log(`  ${name.padEnd(58)} ${rps.toFixed(0).padStart(7)} req/s  p99 ${String(result.latency.p99).padStart(3)} ms${cpuUs === null ? '' : `  server CPU ${cpuUs.toFixed(1)} µs/request`}${lost}`);
  return { rps, p99: result.latency.p99, cpuUs };
}

try {
  console.log(setupLine('first-use').replace(/\d+s runs after a 1 s warm-up/, `${AMOUNT} requests per run (each token once) after ${WARM} warm-up tokens`));
  await sendEach('warm-up, gatehouse', gatehouse, tokens.slice(0, WARM));
  await sendEach('warm-up, jose', jose, tokens.slice(0, WARM));
  const runs = { gatehouse: [] as Measured[], jose: [] as Measured[] };
  for (let r = 0; r < ROUNDS; r++) {
    const batch = tokens.slice(WARM + r * AMOUNT, WARM + (r + 1) * AMOUNT);
    console.log(`round ${r + 1}`);
    runs.gatehouse.push(await sendEach('gatehouse loggedInUser, personal tokens, first use each', gatehouse, batch));
    runs.jose.push(await sendEach('fastify + jose.jwtVerify per request, same tokens', jose, batch));
  }
  console.log('');
  console.log(ratioLine('first use of a personal token / jose.jwtVerify per request', '>= 1.2', runs.gatehouse, runs.jose));
} finally {
  gatehouse.stop();
  jose.stop();
}
