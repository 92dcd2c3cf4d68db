import { connect, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serveProcess } from '../support/serve-process.js';

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-sigterm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const PASSWORD = 'initial-Admin-pass-1';

/** A login request whose body is sent in two parts, so it is in flight for as long as the test wants. */
function slowLogin(url: string): { socket: Socket; finish(): void; answer: Promise<string> } {
  const { hostname, port } = new URL(url);
  const body = JSON.stringify({ email: 'admin', password: Buffer.from(PASSWORD).toString('base64') });
  const socket = connect(Number(port), hostname);
  socket.write(`POST /api/v1/users/login HTTP/1.1\r\nhost: ${hostname}\r\ncontent-type: application/json\r\nconnection: close\r\ncontent-length: ${body.length}\r\n\r\n${body.slice(0, 10)}`);
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
  const answer = new Promise<string>((resolve) => {
    socket.on('close', () => resolve(received));
    socket.on('error', () => resolve(received));
  });
  return { socket, finish: () => socket.write(body.slice(10)), answer };
}

describe('SIGTERM', () => {
  it('stops accepting, finishes the request in flight, and exits 0 well within the grace period', async () => {
    const running = await serveProcess({ GATEHOUSE_DATA_DIR: join(dir, 'a'), GATEHOUSE_ADMIN_PASSWORD: PASSWORD, GATEHOUSE_SHUTDOWN_GRACE_SECONDS: '20' });
    const inFlight = slowLogin(running.url);
    await sleep(300);
    const signalled = Date.now();
    running.child.kill('SIGTERM');
    await sleep(500);
    // The listener is closed: a new connection is refused; the process is still there for the request in flight.
    await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();
    expect(running.child.exitCode).toBeNull();
    inFlight.finish();
    const { code } = await running.exited;
    const answer = await inFlight.answer;
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toContain('"accessToken"');
    expect(code).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(10_000);
  }, 120_000);

  it('exits (status 1) when a request outlasts server.shutdownGraceSeconds', async () => {
    const running = await serveProcess({ GATEHOUSE_DATA_DIR: join(dir, 'b'), GATEHOUSE_ADMIN_PASSWORD: PASSWORD, GATEHOUSE_SHUTDOWN_GRACE_SECONDS: '1' });
    const stuck = slowLogin(running.url);
    await sleep(300);
    const signalled = Date.now();
    running.child.kill('SIGTERM');
    const { code } = await running.exited;
    expect(code).toBe(1);
    const took = Date.now() - signalled;
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(5_000);
    expect(running.stderr()).toContain('server.shutdownGraceSeconds');
    stuck.socket.destroy();
  }, 120_000);
});
