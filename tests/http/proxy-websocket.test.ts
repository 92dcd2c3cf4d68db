import type { AddressInfo } from 'node:net';
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { startTestUpstream, writeTestConfig, type TestUpstream } from '../support/upstream.js';

const RULES = 'gateway:\n  rules:\n    - { pathPrefix: /live, allow: authenticated }\n    - { pathPrefix: /lineage, allow: authenticated }\n';

describe('built-in proxy: WebSocket upgrades and per-path upstreams', () => {
  let t: TestApp;
  let echo: WebSocketServer;
  let lineage: TestUpstream;
  let base: string;
  let token: string;
  const upgrades: IncomingMessage[] = [];

  beforeAll(async () => {
    echo = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    echo.on('connection', (socket, request) => {
      upgrades.push(request);
      socket.on('message', (data, binary) => socket.send(data, { binary }));
    });
    await new Promise<void>((resolve) => echo.once('listening', () => resolve()));
    lineage = await startTestUpstream();
    const echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
    const config = writeTestConfig(`${RULES}  upstreams:\n    - { pathPrefix: /lineage, url: "${lineage.url}" }\n`);
    t = await startTestApp({ GATEHOUSE_CONFIG: config, GATEHOUSE_UPSTREAM: echoUrl });
    token = (await t.userToken('carol', { roles: ['DataConsumer'] })).token;
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await t.close();
    await lineage.close();
    await new Promise<void>((resolve) => echo.close(() => resolve()));
  });

  it('passes a WebSocket echo for a signed-in caller, with identity headers on the upgrade', async () => {
    const socket = new WebSocket(`${base.replace('http', 'ws')}/live/feed?x=1`, { headers: { authorization: `Bearer ${token}`, 'x-auth-request-user': 'mallory' } });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const reply = new Promise<string>((resolve) => socket.once('message', (data) => resolve(String(data))));
    socket.send('hello through the gate');
    expect(await reply).toBe('hello through the gate');
    socket.close();
    const upgrade = upgrades[upgrades.length - 1];
    expect(upgrade?.url).toBe('/live/feed?x=1');
    expect(upgrade?.headers['x-auth-request-user']).toBe('carol');
    expect(upgrade?.headers['authorization']).toBeUndefined();
  });

  it('refuses the upgrade without credentials, before the upstream hears of it', async () => {
    const before = upgrades.length;
    const socket = new WebSocket(`${base.replace('http', 'ws')}/live/feed`);
    const status = await new Promise<number>((resolve, reject) => {
      socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.once('open', () => reject(new Error('upgrade was accepted')));
      socket.once('error', () => resolve(-1));
    });
    expect(status).toBe(401);
    expect(upgrades.length).toBe(before);
  });

  it('sends a path under a per-path upstream there, and everything else to the default upstream', async () => {
    const res = await fetch(`${base}/lineage/api/v1/namespaces`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ method: 'GET', url: '/lineage/api/v1/namespaces' });
    expect(lineage.seen[lineage.seen.length - 1]?.headers['x-auth-request-user']).toBe('carol');
  });
});
