// The upstream behind nginx for `npm run bench -- gateway`: `/cpu/...` spends about 0.5 ms of CPU per request (a busy
// loop, like a real catalog endpoint that parses, queries and serializes), anything else answers a hello-world at once.
// Prints one JSON line {port} once listening.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const WORK_MS = Number(process.env['BENCH_UPSTREAM_WORK_MS'] ?? 0.5);
const body = JSON.stringify({ hello: 'catalog' });

const server = createServer((request, response) => {
  if (request.url?.startsWith('/cpu/')) {
    const until = performance.now() + WORK_MS;
    while (performance.now() < until) {
      // Busy: the CPU a real endpoint spends on its own work.
    }
  }
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  response.end(body);
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
