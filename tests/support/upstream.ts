import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What the test upstream saw of one request. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  rawHeaderNames: string[];
}

export interface TestUpstream {
  url: string;
  server: Server;
  seen: SeenRequest[];
  close(): Promise<void>;
}

/**
 * A real upstream on a free loopback port: answers JSON describing the request it received; `/slow` answers after
 * 3 s (timeouts); anything under `/html` answers a small HTML page without its own security headers.
 */
export async function startTestUpstream(): Promise<TestUpstream> {
  const seen: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const record = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawHeaderNames: req.rawHeaders.filter((_, i) => i % 2 === 0) };
    seen.push(record);
    req.resume();
    req.on('end', () => {
      if (req.url?.startsWith('/slow')) {
        setTimeout(() => res.writeHead(200, { 'content-type': 'text/plain' }).end('late'), 3000).unref();
        return;
      }
      if (req.url?.startsWith('/html')) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><script>inline()</script>');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'x-upstream': 'yes' }).end(JSON.stringify({ method: record.method, url: record.url }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    seen,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Writes a YAML configuration file for a test and returns its path (pass it as GATEHOUSE_CONFIG). */
export function writeTestConfig(yaml: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'gatehouse-proxy-')), 'gatehouse.yaml');
  writeFileSync(file, yaml);
  return file;
}

/** A loopback port nothing listens on (bound, then released). */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
