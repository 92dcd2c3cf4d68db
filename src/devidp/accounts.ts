import { safeEqual, verifyAgainstDummy, verifyPassword } from '../crypto/index.js';
import { GatehouseError } from '../errors/index.js';
import type { DevIdpUser } from './config-types.js';

/**
 * The dev IdP's users, in memory: the configured users plus what tests change at run time (groups, removal), so an
 * RP sees the changes on its next refresh or userinfo call, as it would after an admin's change in OneLogin.
 */
export interface AccountDirectory {
  /** The active user with this subject; undefined once removed with `disable`. */
  find(sub: string): DevIdpUser | undefined;
  /** Checks a login (user name or e-mail, any case) and password; undefined for every kind of failure. */
  authenticate(login: string, password: string): Promise<DevIdpUser | undefined>;
  groupsOf(sub: string): readonly string[];
  setGroups(sub: string, groups: readonly string[]): void;
  disable(sub: string): void;
}

function checkPassword(user: DevIdpUser, password: string): Promise<boolean> {
  if (user.password_hash !== undefined) return verifyPassword(user.password_hash, password);
  // Plain demo passwords are compared in constant time (over SHA-256 digests, so length does not leak either).
  return Promise.resolve(user.password !== undefined && safeEqual(user.password.normalize('NFC'), password.normalize('NFC')));
}

/** Builds the directory over the configured users; the configuration itself is never modified. */
export function createAccountDirectory(users: readonly DevIdpUser[]): AccountDirectory {
  const bySub = new Map(users.map((u) => [u.sub, u]));
  const groups = new Map(users.map((u) => [u.sub, [...u.groups]]));
  const disabled = new Set<string>();

  function known(sub: string): DevIdpUser {
    const user = bySub.get(sub);
    // A typo in a test's subject must fail loudly, not leave the test passing against an unchanged user.
    if (!user) throw new GatehouseError('CONFIG_INVALID', `The dev IdP has no user with sub "${sub}".`);
    return user;
  }

  return {
    find: (sub) => (disabled.has(sub) ? undefined : bySub.get(sub)),
    async authenticate(login, password) {
      const wanted = login.trim().toLowerCase();
      const user = wanted === '' ? undefined : users.find((u) => u.preferred_username.toLowerCase() === wanted || u.email.toLowerCase() === wanted);
      if (!user || disabled.has(user.sub)) {
        // Same work as checking a hashed password, so unknown and removed users are not told apart by timing.
        return verifyAgainstDummy(password).then(() => undefined);
      }
      return (await checkPassword(user, password)) ? user : undefined;
    },
    groupsOf: (sub) => groups.get(sub) ?? [],
    setGroups(sub, list) {
      known(sub);
      groups.set(sub, [...list]);
    },
    disable(sub) {
      known(sub);
      disabled.add(sub);
    },
  };
}
