import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';

/** Models whose entries belong to a grant, so that revoking the grant (logout, refresh-token reuse) removes them. */
const GRANTABLE = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);
/** Expired entries are swept every this many writes, so a long-running demo IdP does not grow without bound. */
const SWEEP_EVERY = 200;

interface Entry {
  payload: AdapterPayload;
  expiresAt: number;
}

/** The storage of one IdP instance; `clear()` drops everything when the IdP closes. */
export interface MemoryStorage {
  adapter: AdapterFactory;
  clear(): void;
  size(): number;
}

/**
 * oidc-provider storage kept in this IdP's own maps. oidc-provider's bundled memory adapter shares one LRU of 1000
 * entries across every provider in the process, so parallel test IdPs would evict each other's live tokens; here
 * entries leave only when they expire or are removed.
 */
export function createMemoryStorage(now: () => number = Date.now): MemoryStorage {
  const entries = new Map<string, Entry>();
  const grants = new Map<string, Set<string>>();
  const sessionsByUid = new Map<string, string>();
  let writes = 0;

  function live(key: string): Entry | undefined {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now()) {
      remove(key);
      return undefined;
    }
    return entry;
  }

  function remove(key: string): void {
    const entry = entries.get(key);
    entries.delete(key);
    const { grantId, uid } = entry?.payload ?? {};
    if (typeof grantId === 'string') grants.get(grantId)?.delete(key);
    if (typeof uid === 'string' && sessionsByUid.get(uid) === key) sessionsByUid.delete(uid);
  }

  function sweep(): void {
    const t = now();
    for (const [key, entry] of entries) if (entry.expiresAt <= t) remove(key);
    for (const [grantId, members] of grants) if (members.size === 0) grants.delete(grantId);
  }

  function adapter(model: string): Adapter {
    const keyOf = (id: string) => `${model}:${id}`;
    return {
      async upsert(id, payload, expiresIn) {
        const key = keyOf(id);
        remove(key);
        entries.set(key, { payload, expiresAt: typeof expiresIn === 'number' ? now() + expiresIn * 1000 : Infinity });
        if (GRANTABLE.has(model) && typeof payload.grantId === 'string') {
          const members = grants.get(payload.grantId) ?? new Set<string>();
          grants.set(payload.grantId, members.add(key));
        }
        if (model === 'Session' && typeof payload.uid === 'string') sessionsByUid.set(payload.uid, key);
        if (++writes % SWEEP_EVERY === 0) sweep();
      },
      find: async (id) => live(keyOf(id))?.payload,
      async findByUid(uid) {
        const key = sessionsByUid.get(uid);
        return key ? live(key)?.payload : undefined;
      },
      async findByUserCode(userCode) {
        for (const [key, entry] of entries) {
          if (key.startsWith(`${model}:`) && entry.payload.userCode === userCode) return live(key)?.payload;
        }
        return undefined;
      },
      async consume(id) {
        const entry = live(keyOf(id));
        if (entry) entry.payload.consumed = Math.floor(now() / 1000);
      },
      destroy: async (id) => remove(keyOf(id)),
      async revokeByGrantId(grantId) {
        for (const key of grants.get(grantId) ?? []) remove(key);
        grants.delete(grantId);
      },
    };
  }

  return {
    adapter,
    clear() {
      entries.clear();
      grants.clear();
      sessionsByUid.clear();
    },
    size: () => entries.size,
  };
}
