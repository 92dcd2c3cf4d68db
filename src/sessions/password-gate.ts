/**
 * The principal a resumed browser session acts as. A pending password change gates password sign-ins only: a single
 * sign-on session (it has a provider) did not use the password, so it is not held at the change-password step.
 */
export function gatePendingPasswordChange<P extends { readonly mustChangePassword: boolean }>(
  session: { readonly providerId: string | null },
  principal: P,
): P {
  return session.providerId === null ? principal : { ...principal, mustChangePassword: false };
}
