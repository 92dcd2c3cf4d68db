import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../shared/index.js';
import { createKeyReloader, KEY_RELOAD_INTERVAL_MS } from './key-reload.js';

/** A ring whose reload waits until the test lets it finish, with the key set it then publishes. */
function fakeRing(kids: string[]) {
  const pending: (() => void)[] = [];
  let next = kids;
  const ring = {
    kids,
    reload: vi.fn(() => new Promise<void>((resolve) => pending.push(() => ((ring.kids = next), resolve())))),
    jwks: () => ({ keys: ring.kids.map((kid) => ({ kid })) }),
  };
  return { ring, willPublish: (k: string[]) => void (next = k), finish: () => pending.splice(0).forEach((f) => f()) };
}
const settle = () => new Promise((r) => setImmediate(r));

describe('createKeyReloader', () => {
  afterEach(() => void vi.useRealTimers());

  it('after a change event forgets verified tokens at once and again when the reload finished', async () => {
    const { ring, finish } = fakeRing(['a']);
    const forgetVerified = vi.fn();
    const reloader = createKeyReloader({ ring, forgetVerified, logger: silentLogger });
    reloader.reloadNow();
    expect(forgetVerified).toHaveBeenCalledTimes(1);
    finish();
    await settle();
    expect(forgetVerified).toHaveBeenCalledTimes(2);
  });

  it('periodically forgets verified tokens only when the live keys changed, and stop() waits for a reload in flight', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { ring, willPublish, finish } = fakeRing(['a', 'b']);
    const forgetVerified = vi.fn();
    const reloader = createKeyReloader({ ring, forgetVerified, logger: silentLogger });
    reloader.start();
    vi.advanceTimersByTime(KEY_RELOAD_INTERVAL_MS);
    finish();
    await settle();
    expect(forgetVerified).not.toHaveBeenCalled();
    willPublish(['b']);
    vi.advanceTimersByTime(KEY_RELOAD_INTERVAL_MS);
    let stopped = false;
    const stopping = reloader.stop().then(() => void (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    finish();
    await stopping;
    expect(forgetVerified).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(KEY_RELOAD_INTERVAL_MS);
    expect(ring.reload).toHaveBeenCalledTimes(2);
  });
});
