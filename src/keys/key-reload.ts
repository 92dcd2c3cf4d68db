import type { Logger } from '../shared/index.js';
import type { KeyRing } from './key-ring.js';

/** How often each instance re-reads the signing keys (a CLI on the same SQLite file sends no change event). */
export const KEY_RELOAD_INTERVAL_MS = 60_000;

/** Reloads the key ring after a change, now or periodically, and keeps the verified-token cache in step with it. */
export interface KeyReloader {
  /** After a key change event (rotate, retire on any instance). */
  reloadNow(): void;
  /** Re-reads the keys every KEY_RELOAD_INTERVAL_MS until stop(). */
  start(): void;
  /** Stops the timer and waits for a reload in progress, so the database can be closed after it. */
  stop(): Promise<void>;
}

export interface KeyReloaderDeps {
  ring: Pick<KeyRing, 'reload' | 'jwks'>;
  /** Forgets every verification made with the old key set (the verified-token cache). */
  forgetVerified(): void;
  logger: Logger;
}

export function createKeyReloader(deps: KeyReloaderDeps): KeyReloader {
  const { ring, forgetVerified, logger } = deps;
  const running = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  const track = (work: Promise<void>) => {
    running.add(work);
    void work.finally(() => running.delete(work));
  };
  const liveKids = () => ring.jwks().keys.map((k) => k.kid).join(' ');

  return {
    reloadNow() {
      // A retired key must stop verifying at once, including tokens already in the cache.
      // Cleared again after the reload: a request verified in between with the old key set must not stay cached.
      forgetVerified();
      track(ring.reload().then(forgetVerified).catch((error: unknown) => logger.error({ err: error }, 'key reload failed')));
    },
    start() {
      // Retiring keys retire themselves once their last token expired; this notices it without waiting for a request.
      // Another process on the same SQLite file (`gatehouse keys retire`) sends no change event: when a key stopped
      // verifying, the tokens it signed must leave the verified-token cache too.
      timer = setInterval(() => {
        const before = liveKids();
        track(ring.reload()
          .then(() => {
            if (liveKids() !== before) forgetVerified();
          })
          .catch((error: unknown) => logger.error({ err: error }, 'periodic key reload failed')));
      }, KEY_RELOAD_INTERVAL_MS);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await Promise.allSettled([...running]);
    },
  };
}
