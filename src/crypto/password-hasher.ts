import { performance } from 'node:perf_hooks';
import { GatehouseError } from '../errors/index.js';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './password-hash.js';

/** What does the hashing work; argon2id in production, a controllable fake in tests. */
export interface PasswordEngine {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  verifyAgainstDummy(password: string): Promise<false>;
}

export const ARGON2_ENGINE: PasswordEngine = { hash: hashPassword, verify: verifyPassword, verifyAgainstDummy };

/** A place in the hashing queue: taken at once (or refused), used once its turn comes, released exactly once. */
export interface HashSlot {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  verifyAgainstDummy(password: string): Promise<false>;
  /** Frees the slot (or leaves the queue if its turn has not come); safe to call more than once. */
  release(): void;
}

export interface PasswordHasher {
  /** Takes a place now; throws AUTH_SIGN_IN_BUSY (with a Retry-After estimate) when the queue is full. */
  enter(): HashSlot;
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  /** Jobs hashing now and jobs waiting for a turn. */
  load(): { active: number; waiting: number };
}

export interface PasswordHasherOptions {
  /** Hashes run at the same time. */
  concurrency: number;
  /** Callers allowed to wait for a turn; one more is refused at once. */
  maxWaiting: number;
  engine?: PasswordEngine;
  /** Expected duration of one hash before any was measured (for Retry-After). */
  initialEstimateMs?: number;
  /**
   * True while request handling is saturated (see eventLoopBusyProbe). Then each freed slot is handed on only after a
   * pause of three hash durations, so hashing takes at most about a quarter of a core and bearer traffic keeps the rest.
   */
  loopBusy?: () => boolean;
}

/**
 * A probe for PasswordHasherOptions.loopBusy: event-loop utilisation over the last `windowMs` above `threshold`. On a
 * small machine the hashing thread and the event loop share a core as equals; this lets hashing give way.
 */
export function eventLoopBusyProbe(threshold = 0.9, windowMs = 100): () => boolean {
  let last = performance.eventLoopUtilization();
  let busy = false;
  return () => {
    const now = performance.eventLoopUtilization();
    const delta = performance.eventLoopUtilization(now, last);
    if (delta.active + delta.idle >= windowMs) {
      busy = delta.utilization > threshold;
      last = now;
    }
    return busy;
  };
}

/**
 * Bounded concurrency for password hashing. argon2 runs on libuv's thread pool (4 threads unless UV_THREADPOOL_SIZE
 * says otherwise), which fs and dns share, and each hash is a burst of CPU: unbounded, a sign-in storm takes every
 * core and every pool thread, and bearer requests wait behind it. Bounded, hashing gets `concurrency` threads and a
 * queue of `maxWaiting`; beyond that a caller is refused at once, with an honest estimate of when to retry.
 */
export function createPasswordHasher(options: PasswordHasherOptions): PasswordHasher {
  const engine = options.engine ?? ARGON2_ENGINE;
  const concurrency = Math.max(1, options.concurrency);
  const waiting: Array<() => void> = [];
  let active = 0;
  let estimateMs = options.initialEstimateMs ?? 100;

  /** When a newcomer could expect a turn: everything ahead of it, spread over the workers. */
  function retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(((waiting.length + active) * estimateMs) / concurrency / 1000));
  }

  function handOver(): void {
    const next = waiting.shift();
    if (next) next();
    else active -= 1;
  }

  /** The slot stays taken during a pause, so the bounds on running and waiting jobs still hold. */
  function grantNext(): void {
    if (options.loopBusy?.()) setTimeout(handOver, Math.ceil(estimateMs * 3));
    else handOver();
  }

  function enter(): HashSlot {
    if (active >= concurrency && waiting.length >= options.maxWaiting) {
      const seconds = retryAfterSeconds();
      throw new GatehouseError('AUTH_SIGN_IN_BUSY', undefined, { internal: { retryAfterSeconds: seconds, active, waiting: waiting.length } });
    }
    let granted = false;
    let released = false;
    let grant!: () => void;
    const ready = new Promise<void>((resolve) => {
      grant = () => {
        granted = true;
        resolve();
      };
    });
    if (active < concurrency) {
      active += 1;
      grant();
    } else {
      waiting.push(grant);
    }
    async function timed<T>(work: () => Promise<T>): Promise<T> {
      await ready;
      const started = performance.now();
      try {
        return await work();
      } finally {
        // A moving average, so Retry-After follows the machine's real speed.
        estimateMs = estimateMs * 0.8 + (performance.now() - started) * 0.2;
      }
    }
    return {
      hash: (password) => timed(() => engine.hash(password)),
      verify: (hash, password) => timed(() => engine.verify(hash, password)),
      verifyAgainstDummy: (password) => timed(() => engine.verifyAgainstDummy(password)),
      release() {
        if (released) return;
        released = true;
        if (granted) {
          grantNext();
          return;
        }
        const index = waiting.indexOf(grant);
        if (index >= 0) waiting.splice(index, 1);
      },
    };
  }

  return {
    enter,
    async hash(password) {
      const slot = enter();
      try {
        return await slot.hash(password);
      } finally {
        slot.release();
      }
    },
    async verify(hash, password) {
      const slot = enter();
      try {
        return await slot.verify(hash, password);
      } finally {
        slot.release();
      }
    },
    load: () => ({ active, waiting: waiting.length }),
  };
}
