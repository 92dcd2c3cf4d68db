import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createKeyRing, type KeyRing, type KeyRingOptions } from '../../src/keys/index.js';
import { frozenClock, silentLogger } from '../../src/shared/index.js';
import { createSigningKeyStore, createUserStore, type DatabaseHandle, type UserRow } from '../../src/storage/index.js';
import { freshDatabase } from '../support/databases.js';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'keys');
export const fixture = (name: string) => join(FIXTURES, name);
export const ISSUER = 'open-metadata.org';
export const T0 = Date.UTC(2026, 10, 1, 12);
export const TEST_ENCRYPTION_KEY = randomBytes(32);

/** A key ring over `handle` with test defaults (development, generated key, 60 s skew). */
export function makeRing(handle: DatabaseHandle, clock: ReturnType<typeof frozenClock>, options: Partial<KeyRingOptions> = {}): KeyRing {
  return createKeyRing({
    store: createSigningKeyStore(handle.db, handle.engine), clock, logger: silentLogger, encryptionKey: options.encryptionKey ?? TEST_ENCRYPTION_KEY,
    production: false, privateKeyFile: null, publicKeyFile: null, keyId: null, clockSkewSeconds: 60, ...options,
  });
}

let userCounter = 0;
/** Inserts a user row (a bot when isBot) and returns it. */
export async function insertUser(handle: DatabaseHandle, name: string, options: { isBot?: boolean; isAdmin?: boolean; at?: number } = {}): Promise<UserRow> {
  userCounter += 1;
  const row: UserRow = {
    id: `u-${userCounter}-${name}`, name, email: options.isBot ? null : `${name}@example.com`, display_name: null,
    is_admin: options.isAdmin ? 1 : 0, is_bot: options.isBot ? 1 : 0, disabled: 0, password_hash: null, must_change_password: 0,
    is_bootstrap: 0, created_at: options.at ?? T0, updated_at: options.at ?? T0,
  };
  await createUserStore(handle.db).insert(row);
  return row;
}

/** A loopback HTTP server whose handler can be swapped; counts requests per path. */
export interface LocalServer {
  url: string;
  hits: Map<string, number>;
  handle(fn: (req: IncomingMessage, res: ServerResponse) => void): void;
  close(): Promise<void>;
}

export async function startLocalServer(): Promise<LocalServer> {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
  const hits = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    hits.set(req.url ?? '', (hits.get(req.url ?? '') ?? 0) + 1);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    handle(fn) {
      handler = fn;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Serves a JSON document. */
export function json(res: ServerResponse, body: unknown, status = 200): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** A fresh SQLite key ring whose JWKS (exactly what the JWKS route serves: the ring's document) is on a loopback server. */
export async function startRingWithJwks(clock: ReturnType<typeof frozenClock>): Promise<{ ring: KeyRing; server: LocalServer; close(): Promise<void> }> {
  const db = await freshDatabase('sqlite');
  const ring = makeRing(db, clock);
  await ring.init();
  const server = await startLocalServer();
  server.handle((_req, res) => json(res, ring.jwks()));
  return {
    ring,
    server,
    async close() {
      await server.close();
      await db.dispose();
    },
  };
}

/**
 * Overrides that give one registered or own claim the wrong JSON type. The verifier must refuse each with
 * AUTH_TOKEN_CLAIMS and `token inspect` must fail its claims check on each: one list, tested from both sides.
 */
export const WRONG_CLAIM_TYPES: readonly Record<string, unknown>[] = [
  { iss: 42 }, { sub: 42 }, { sub: null }, { aud: 5 }, { aud: ['ok', 7] }, { aud: { client: 'x' } }, { jti: 7 }, { jti: ['j'] },
  { exp: '9999999999' }, { exp: true }, { nbf: 'yesterday' }, { iat: '1' }, { azp: 5 },
  { email: 42 }, { isBot: 'true' }, { tokenType: 5 }, { roles: 'Admin' }, { roles: [1] },
  { tokenType: 'PERSONAL_ACCESS', isBot: false, scope: ['entity:view'] },
  { tokenType: 'OM_USER', isBot: false, sid: 42 }, { tokenType: 'OM_USER', isBot: false, sid: '' },
];
