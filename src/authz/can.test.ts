import { describe, expect, it } from 'vitest';
import { can } from './can.js';
import type { Permission } from './permissions.js';
import type { AuthMethod } from './principal.js';

const p = (isAdmin: boolean, perms: Permission[], method: AuthMethod = 'session', mustChangePassword = false) => ({
  isAdmin,
  permissions: new Set(perms),
  method,
  mustChangePassword,
});

describe('can', () => {
  it.each([
    ['admin passes everything', p(true, []), 'user:manage', true],
    ['user with the permission', p(false, ['entity:view']), 'entity:view', true],
    ['user without it', p(false, ['entity:view']), 'entity:edit', false],
    ['admin who must change the password', p(true, [], 'session', true), 'user:view', false],
    ['admin personal token narrowed to read', p(true, ['entity:view'], 'personal-token'), 'user:manage', false],
    ['admin personal token with the permission', p(true, ['user:manage'], 'personal-token'), 'user:manage', true],
    ['bot token with role permission', p(false, ['ingestion:run'], 'bot-token'), 'ingestion:run', true],
  ] as const)('%s', (_name, principal, permission, expected) => {
    expect(can(principal, permission)).toBe(expected);
  });
});
