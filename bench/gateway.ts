// `npm run bench -- gateway`: the gateway's forward-auth decision and nginx in front of an upstream, against baselines
// measured in the same run (issue 11's "Done when", issue 12 item 4):
//  - the nginx forward-auth check with a browser session cookie vs GET /healthz on the same server, same-size header (>= 0.85);
//  - the same check with a cached bearer (bot token) vs /healthz (>= 0.85);
//  - nginx → Gatehouse check → upstream vs nginx → upstream direct (deploy/gateway/nginx.conf without its auth_request
//    line), with an upstream that spends ~0.5 ms of CPU per request (>= 0.7), and with a hello-world upstream (printed).
// Every server (Gatehouse, the upstream, nginx's master and its one worker) is pinned to the last CPU, the load generator
// to the first; the nginx rows count the CPU of all of them per request.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { CONNECTIONS, cpuMs, DURATION, measure, ratioLine, ROUNDS, setupLine, startServer, type Measured } from './lib/harness.js';
import { nginxMissing, startNginx, type Nginx } from './lib/nginx.js';

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-gateway-'));
const rules = join(dir, 'gateway.yaml');
writeFileSync(rules, ['gateway:', '  default: deny', '  rules:', '    - { pathPrefix: /, allow: authenticated }', ''].join('\n'));

const [gatehouse, upstream] = await Promise.all([startServer('bench/servers/gatehouse.ts', ['--gateway', rules]), startServer('bench/servers/catalog-upstream.ts')]);
const token = String(gatehouse.info['token']);
const cookie = String(gatehouse.info['cookie']);
const [cookieName = '', cookieValue = ''] = cookie.split('=');
// What nginx sends to the check (deploy/gateway/nginx.conf's /_gatehouse_check), minus the credential.
const original = { host: '127.0.0.1', 'x-original-uri': '/cpu/tables?limit=10', 'x-original-url': 'http://127.0.0.1/cpu/tables?limit=10', 'x-original-method': 'GET', 'x-forwarded-proto': 'http' };
const CHECK = '/api/v1/gateway/auth-request';

/** Sum of the CPU (ms) of several processes; null when /proc cannot tell. */
function cpuOf(pids: number[]): number | null {
  let total = 0;
  for (const pid of pids) {
    const ms = cpuMs(pid);
    if (ms === null) return null;
    total += ms;
  }
  return total;
}

/** One measured run through nginx (after a 1 s warm-up in the first round): the CPU of nginx, Gatehouse and the upstream per request. */
async function throughNginx(name: string, nginx: Nginx, path: string, warm: boolean): Promise<Measured> {
  const options = { url: `${nginx.url}${path}`, connections: CONNECTIONS, headers: { authorization: `Bearer ${token}` } };
  if (warm) await autocannon({ ...options, duration: 1 });
  const pids = [...nginx.pids(), gatehouse.child.pid as number, upstream.child.pid as number];
  const before = cpuOf(pids);
  const result = await autocannon({ ...options, duration: DURATION });
  const after = cpuOf(pids);
  const bad = result.non2xx + result.errors;
  if (bad > 0) throw new Error(`${name}: ${bad} failed requests`);
  const cpuUs = before === null || after === null ? null : ((after - before) * 1000) / result.requests.total;
  const rps = result.requests.total / (result.duration || DURATION);
  console.log(`  ${name.padEnd(58)} ${rps.toFixed(0).padStart(7)} req/s  p99 ${String(result.latency.p99).padStart(3)} ms${cpuUs === null ? '' : `  all servers' CPU ${cpuUs.toFixed(1)} µs/request`}`);
  return { rps, p99: result.latency.p99, cpuUs };
}

const proxies: Nginx[] = [];
try {
  // Eight variants: warming each up only in the first round keeps the whole run under 3 minutes on a busy 2-core machine.
  console.log(setupLine('gateway').replace('after a 1 s warm-up', 'after a 1 s warm-up (first round only)'));
  const upstreamPort = Number(upstream.info['port']);
  const gatehousePort = Number(gatehouse.info['port']);
  if (!nginxMissing) {
    proxies.push(await startNginx(gatehousePort, upstreamPort, false), await startNginx(gatehousePort, upstreamPort, true));
    console.log('nginx: deploy/gateway/nginx.conf, worker_processes 1, master and worker pinned with taskset like the servers; upstream keep-alive 16.');
  } else {
    console.log('nginx rows skipped: /usr/sbin/nginx is not installed (apt-get install nginx).');
  }
  const [gated, direct] = proxies;
  const runs: Record<'session' | 'bearer' | 'healthSession' | 'healthBearer' | 'gatedCpu' | 'directCpu' | 'gatedHello' | 'directHello', Measured[]> = {
    session: [], bearer: [], healthSession: [], healthBearer: [], gatedCpu: [], directCpu: [], gatedHello: [], directHello: [],
  };
  for (let r = 0; r < ROUNDS; r++) {
    console.log(`round ${r + 1}`);
    const warm = r === 0;
    runs.session.push(await measure('forward-auth check, session cookie', gatehouse, CHECK, { headers: { ...original, cookie } }, warm));
    runs.healthSession.push(await measure('/healthz, same-size header', gatehouse, '/healthz', { headers: { ...original, 'x-padding': `${cookieName}-${cookieValue}` } }, warm));
    runs.bearer.push(await measure('forward-auth check, bot token (cached)', gatehouse, CHECK, { headers: { ...original, authorization: `Bearer ${token}` } }, warm));
    runs.healthBearer.push(await measure('/healthz, same-size header', gatehouse, '/healthz', { headers: { ...original, 'x-padding': `Bearer ${token}` } }, warm));
    if (gated && direct) {
      runs.gatedCpu.push(await throughNginx('nginx → check → upstream (0.5 ms CPU)', gated, '/cpu/tables?limit=10', warm));
      runs.directCpu.push(await throughNginx('nginx → upstream (0.5 ms CPU)', direct, '/cpu/tables?limit=10', warm));
      runs.gatedHello.push(await throughNginx('nginx → check → upstream (hello world)', gated, '/hello', warm));
      runs.directHello.push(await throughNginx('nginx → upstream (hello world)', direct, '/hello', warm));
    }
  }
  console.log('');
  console.log(ratioLine('forward-auth check (session cookie) / healthz, same server, same header size', '>= 0.85', runs.session, runs.healthSession));
  console.log(ratioLine('forward-auth check (bot token, cached) / healthz, same server, same header size', '>= 0.85', runs.bearer, runs.healthBearer));
  if (gated && direct) {
    console.log(ratioLine('nginx → Gatehouse check → upstream / nginx → upstream, upstream ~0.5 ms CPU', '>= 0.7', runs.gatedCpu, runs.directCpu));
    console.log(ratioLine('nginx → Gatehouse check → upstream / nginx → upstream, hello-world upstream', 'printed', runs.gatedHello, runs.directHello));
  }
} finally {
  for (const proxy of proxies) await proxy.stop();
  gatehouse.stop();
  upstream.stop();
}
