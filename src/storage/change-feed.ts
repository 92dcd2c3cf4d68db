import pg from 'pg';
import type { Logger } from '../shared/index.js';

/** Cache-invalidation events shared by every instance of Gatehouse. */
export type ChangeEvent =
  | { kind: 'user'; id: string }
  | { kind: 'roles' }
  | { kind: 'token'; id: string }
  | { kind: 'keys' }
  | { kind: 'session'; id: string }
  /** A password sign-in ended (logout, password change, admin): its access tokens leave the verified-token cache. */
  | { kind: 'sign-in'; id: string };

export interface ChangeFeed {
  /** Applies the event locally at once, then tells the other instances (PostgreSQL NOTIFY). */
  publish(event: ChangeEvent): void;
  subscribe(listener: (event: ChangeEvent) => void): void;
  close(): Promise<void>;
}

const CHANNEL = 'gatehouse_changes';

function parseEvent(text: string): ChangeEvent | undefined {
  try {
    const value = JSON.parse(text) as { kind?: unknown; id?: unknown };
    if (value.kind === 'roles' || value.kind === 'keys') return { kind: value.kind };
    if ((value.kind === 'user' || value.kind === 'token' || value.kind === 'session' || value.kind === 'sign-in') && typeof value.id === 'string') {
      return { kind: value.kind, id: value.id };
    }
  } catch {
    // Ignore foreign payloads on our channel.
  }
  return undefined;
}

/** One process: events go straight to the listeners (SQLite, tests). */
export function createLocalChangeFeed(): ChangeFeed {
  const listeners: ((event: ChangeEvent) => void)[] = [];
  return {
    publish: (event) => listeners.forEach((l) => l(event)),
    subscribe: (listener) => void listeners.push(listener),
    close: async () => {},
  };
}

/**
 * Several instances on one PostgreSQL: LISTEN on a dedicated connection (reconnecting with back-off), NOTIFY through it.
 * Our own notifications come back too; applying an invalidation twice is harmless.
 */
export function createPostgresChangeFeed(url: string, schema: string | undefined, logger: Logger): ChangeFeed {
  const local = createLocalChangeFeed();
  let client: pg.Client | undefined;
  let closed = false;
  let delay = 500;
  let retry: NodeJS.Timeout | undefined;
  let everConnected = false;
  const channel = schema ? `${CHANNEL}_${schema}` : CHANNEL;
  // NOTIFYs not yet sent: close() waits for them, so a short-lived publisher (a CLI command) is heard before it exits.
  const pending = new Set<Promise<unknown>>();

  // Anything may have changed while we were deaf: drop every cache.
  const dropCaches = () => {
    local.publish({ kind: 'roles' });
    local.publish({ kind: 'keys' });
  };

  // Keeps trying (with back-off, up to 30 s) until a connection holds: a database outage outlasts one attempt.
  function reconnectLater(): void {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      void connect();
    }, delay);
    delay = Math.min(delay * 2, 30_000);
  }

  /** Never rejects: a failure is logged and retried, so no promise is left unhandled on the timer path. */
  async function connect(): Promise<void> {
    if (closed) return;
    // A bounded connect: close() waits for an attempt in progress, and a refused start must end at once.
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    c.on('notification', (message) => {
      const event = message.payload ? parseEvent(message.payload) : undefined;
      if (event) local.publish(event);
    });
    // Without this listener a dropped connection ('Connection terminated unexpectedly') would end the process.
    c.on('error', (error) => {
      if (client !== c) return;
      logger.warn({ err: error }, 'change feed connection lost; reconnecting');
      client = undefined;
      void c.end().catch(() => {});
      dropCaches();
      reconnectLater();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
    } catch (error) {
      logger.warn({ err: error }, 'change feed could not connect; caches of other instances may lag until it does');
      void c.end().catch(() => {});
      reconnectLater();
      return;
    }
    if (closed) {
      await c.end().catch(() => {});
      return;
    }
    client = c;
    delay = 500;
    // Events published while this instance was not listening are lost; caches filled meanwhile may be stale.
    if (everConnected) dropCaches();
    everConnected = true;
  }

  const ready = connect();

  return {
    publish(event) {
      local.publish(event);
      const sent = ready.then(() => client?.query('SELECT pg_notify($1, $2)', [channel, JSON.stringify(event)])).catch((error: unknown) => {
        logger.warn({ err: error, kind: event.kind }, 'change feed could not notify the other instances');
      });
      pending.add(sent);
      void sent.finally(() => pending.delete(sent));
    },
    subscribe: local.subscribe,
    async close() {
      closed = true;
      clearTimeout(retry);
      await ready;
      await Promise.all([...pending]);
      await client?.end().catch(() => {});
    },
  };
}
