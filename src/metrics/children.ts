/**
 * prom-client finds a labelled child by building a key string from the label values on every call. The hot path
 * (every request, every bearer check) instead walks nested Maps keyed by the values themselves: no allocation once a
 * combination has been seen. Label values come from small fixed sets, so the maps stay small.
 */
export function childCache<Args extends string[], Child>(create: (...values: Args) => Child): (...values: Args) => Child {
  const root = new Map<string, unknown>();
  return (...values: Args): Child => {
    let level = root;
    for (let i = 0; i < values.length - 1; i += 1) {
      const key = values[i] as string;
      let next = level.get(key) as Map<string, unknown> | undefined;
      if (!next) level.set(key, (next = new Map<string, unknown>()));
      level = next;
    }
    const last = values[values.length - 1] as string;
    let child = level.get(last) as Child | undefined;
    if (child === undefined) level.set(last, (child = create(...values)));
    return child;
  };
}
