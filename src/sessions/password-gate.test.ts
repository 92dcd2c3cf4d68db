import { describe, expect, it } from 'vitest';
import { gatePendingPasswordChange } from './password-gate.js';

describe('gatePendingPasswordChange', () => {
  const pending = { name: 'dave', mustChangePassword: true };

  it('keeps a pending password change on a password session', () => {
    expect(gatePendingPasswordChange({ providerId: null }, pending)).toEqual({ name: 'dave', mustChangePassword: true });
  });

  it('lifts it on a single sign-on session, without touching the principal it was given', () => {
    expect(gatePendingPasswordChange({ providerId: 'onelogin' }, pending)).toEqual({ name: 'dave', mustChangePassword: false });
    expect(pending.mustChangePassword).toBe(true);
  });
});
