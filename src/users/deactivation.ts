/** What a deactivation (disable or delete) must end, each on every instance. */
export interface DeactivationTargets {
  /** Password sign-ins: refresh tokens and the access tokens issued from them. */
  endAllSignIns(userId: string): Promise<unknown>;
  /** Browser sessions (password and single sign-on). */
  revokeAllSessions(userId: string): Promise<unknown>;
  /** API tokens: personal access tokens, and a bot user's bot tokens. */
  revokeAllTokens(userId: string): Promise<unknown>;
  /** Tells every instance to drop what it cached about the user. */
  publishUserChanged(userId: string): void;
}

/**
 * The user service's `onUserDeactivated`: everything the user could act with is ended, not only refused while the
 * user is disabled, so re-enabling the user does not bring the old sessions and tokens back. The change event comes
 * last, after the records are gone, so no instance caches them again in between.
 */
export function endEverythingOfUser(targets: DeactivationTargets): (userId: string) => Promise<void> {
  return async (userId) => {
    await targets.endAllSignIns(userId);
    await targets.revokeAllSessions(userId);
    await targets.revokeAllTokens(userId);
    targets.publishUserChanged(userId);
  };
}
