// `npm run bench -- footprint`: resident memory idle and under load, and start-up time (targets: < 150 / < 300 MB; < 2 s).
import autocannon from 'autocannon';
import { CONNECTIONS, DURATION, rssMb, setupLine, startServer } from './lib/harness.js';

const gatehouse = await startServer('bench/servers/gatehouse.ts');
try {
  console.log(setupLine('footprint'));
  await new Promise((r) => setTimeout(r, 2000));
  const idle = rssMb(gatehouse.child.pid);
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(gatehouse.child.pid) ?? 0)), 200);
  const headers = { authorization: `Bearer ${String(gatehouse.info['token'])}` };
  await autocannon({ url: `${gatehouse.url}/api/v1/users/loggedInUser`, headers, connections: CONNECTIONS, duration: DURATION * 2 });
  clearInterval(sampler);
  const mb = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(0)} MB`);
  console.log(`RSS idle ${mb(idle)} (target < 150 MB); loaded (peak during ${DURATION * 2}s of loggedInUser) ${mb(peak || null)} (target < 300 MB)`);
  console.log(`start-up to listening: ${gatehouse.info['listenMs']} ms from process start (through tsx; target < 2 s)`);
} finally {
  gatehouse.stop();
}
