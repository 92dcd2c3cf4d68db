import type { UserView } from './user-view.js';

/**
 * What `GET /api/v1/users/loggedInUser` answers, per user, so a signed-in client's most frequent call needs no query.
 * Exact invalidation instead of a time limit: every change that alters a view (flags, roles, password state, sign-in
 * time, deactivation, deletion) publishes a `user` change event and every role change a `roles` event; core.ts applies
 * both to this cache on every instance. Bounded; the oldest entry goes first when full.
 */
export function createUserViewCache(maxEntries = 10_000) {
  const views = new Map<string, UserView>();
  // Bumped by every invalidation: a view read before a change must not be stored after it (it would be stale forever).
  let generation = 0;

  return {
    /** Take this before reading the view from the database; pass it to set(). */
    generation: (): number => generation,
    get: (userId: string): UserView | undefined => views.get(userId),
    set(userId: string, view: UserView, since: number): void {
      if (since !== generation) return;
      if (views.size >= maxEntries && !views.has(userId)) views.delete(views.keys().next().value as string);
      // Frozen: the one object is sent to every caller, so nobody may change it in place.
      views.set(userId, Object.freeze(view));
    },
    invalidate(userId: string): void {
      generation += 1;
      views.delete(userId);
    },
    clear(): void {
      generation += 1;
      views.clear();
    },
    get size(): number {
      return views.size;
    },
  };
}

export type UserViewCache = ReturnType<typeof createUserViewCache>;
