import { useCallback, useEffect, useState } from 'react';
import { errorText, type Notice } from './alert';

/**
 * A page's data and its message line. `load` must be stable (useCallback); it runs on mount and whenever it changes.
 * `run(work, "Done.")` performs an action, reports success or failure the same way on every page, then reloads.
 */
export function usePageData<T>(load: () => Promise<T>) {
  const [data, setData] = useState<T | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const reload = useCallback(async () => {
    try {
      setData(await load());
    } catch (e) {
      setNotice({ kind: 'error', text: errorText(e) });
    }
  }, [load]);
  useEffect(() => {
    void reload();
  }, [reload]);
  const run = useCallback(
    async (work: () => Promise<unknown>, done: string): Promise<boolean> => {
      let outcome: Notice;
      try {
        await work();
        outcome = { kind: 'success', text: done };
      } catch (e) {
        outcome = { kind: 'error', text: errorText(e) };
      }
      // The message appears with the data it talks about, not before the list has caught up.
      await reload();
      setNotice(outcome);
      return outcome.kind === 'success';
    },
    [reload],
  );
  return { data, reload, notice, setNotice, run };
}
