import pg from 'pg';
import type { Logger } from '../shared/index.js';
import { isStorageUnavailable } from './unavailable.js';

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
  /**
   * Applies the event locally at once, then tells the other instances (PostgreSQL NOTIFY). Resolves once it is handed
   * to PostgreSQL, or after a short wait while the connection is down (the event stays queued and is sent on reconnect):
   * a revocation awaits it, so an instance that dies right after answering has already told the others.
   */
  publish(event: ChangeEvent): Promise<void>;
  subscribe(listener: (event: ChangeEvent) => void): void;
  close(): Promise<void>;
}

const CHANNEL = 'gatehouse_changes';
/** Events kept while the connection is down; beyond it they collapse into "drop every cache". */
const MAX_OUTBOX = 10_000;
/** How long close() waits for unsent events (a shutdown must end within its grace period). */
const CLOSE_WAIT_MS = 3_000;
/** How long publish() waits for a connection that is down before the caller goes on (the event stays queued). */
const PUBLISH_WAIT_MS = 1_000;

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
    publish: (event) => {
      listeners.forEach((l) => l(event));
      return Promise.resolve();
    },
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
  // Events not yet handed to PostgreSQL, oldest first. An event published while this instance's connection is down
  // waits here until it is back: applying a revocation locally but never telling the others would leave the token in
  // their caches. close() waits for the outbox (a CLI command is heard before it exits), but not forever.
  let outbox: { event: ChangeEvent; sent(): void }[] = [];
  let flushing: Promise<void> | undefined;

  // Anything may have changed while we were deaf: drop every cache.
  const dropCaches = () => {
    void local.publish({ kind: 'roles' });
    void local.publish({ kind: 'keys' });
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
      if (event) void local.publish(event);
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
    // What the other instances published while this one was not listening is lost to it: its caches may be stale.
    if (everConnected) dropCaches();
    everConnected = true;
    void flush();
  }

  /** Sends the outbox in order through the listening connection; what fails stays for the next connection. */
  function flush(): Promise<void> {
    if (!flushing) {
      flushing = sendOutbox();
      void flushing.finally(() => (flushing = undefined));
    }
    return flushing;
  }

  async function sendOutbox(): Promise<void> {
    await Promise.resolve(); // let flush() record this run before it can end
    for (;;) {
      const entry = outbox[0];
      const c = client;
      if (!entry || !c) return;
      try {
        await c.query('SELECT pg_notify($1, $2)', [channel, JSON.stringify(entry.event)]);
      } catch (error) {
        // A lost connection: keep the event for the next one. Anything else would fail again: drop it, say so.
        if (isStorageUnavailable(error) || client !== c) {
          logger.warn({ err: error, kind: entry.event.kind }, 'change feed could not notify the other instances; will retry on reconnect');
          return;
        }
        logger.error({ err: error, kind: entry.event.kind }, 'change feed could not notify the other instances; event dropped');
      }
      if (outbox[0] === entry) outbox.shift();
      entry.sent();
    }
  }

  const ready = connect();

  return {
    publish(event) {
      void local.publish(event);
      let sent = () => {};
      const delivered = new Promise<void>((resolve) => (sent = resolve));
      if (outbox.length < MAX_OUTBOX) outbox.push({ event, sent });
      else {
        // A long outage must not grow memory without bound: past the limit, the others are told to drop everything.
        for (const entry of outbox) entry.sent();
        sent();
        outbox = [{ event: { kind: 'roles' }, sent: () => {} }, { event: { kind: 'keys' }, sent: () => {} }];
      }
      void ready.then(flush);
      return new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, PUBLISH_WAIT_MS);
        timer.unref();
        void delivered.then(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
    subscribe: local.subscribe,
    async close() {
      closed = true;
      clearTimeout(retry);
      await ready;
      const deadline = Date.now() + CLOSE_WAIT_MS;
      while (outbox.length > 0 && client && Date.now() < deadline) {
        await Promise.race([flush(), new Promise((r) => setTimeout(r, 100))]);
      }
      if (outbox.length > 0) logger.warn({ events: outbox.length }, 'change feed closed with events the other instances did not hear; their caches drop them on their own expiry');
      for (const entry of outbox) entry.sent();
      await client?.end().catch(() => {});
    },
  };
}
