import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditContext, AuditEventInput, AuditLog } from '../../src/audit/index.js';
import { createSessionService, createSignInStep, type SessionService, type SignInStep } from '../../src/sessions/index.js';
import { frozenClock } from '../../src/shared/index.js';
import { createUserStore } from '../../src/storage/index.js';
import { createSessionStore } from '../../src/storage/stores/session-store.js';
import { freshDatabase } from '../support/databases.js';

const context: AuditContext = { actorId: null, actorName: null, ip: '192.0.2.7', userAgent: 'Firefox' };
const user = { id: 'u1', name: 'alice' };

describe('the "signed in" step (password and SSO sign-in)', () => {
  let h: Awaited<ReturnType<typeof freshDatabase>>;
  let sessions: SessionService;
  let recorded: { context: AuditContext; event: AuditEventInput }[];
  const stepFor = (publicUrl: string): SignInStep => {
    const audit: AuditLog = {
      record: async (c, event) => void recorded.push({ context: c, event }),
      list: () => Promise.reject(new Error('not used')),
    };
    return createSignInStep({ sessions, audit, publicUrl });
  };

  beforeEach(async () => {
    h = await freshDatabase('sqlite');
    recorded = [];
    sessions = createSessionService({
      store: createSessionStore(h.db), clock: frozenClock(), encryptionKey: randomBytes(32),
      policy: { absoluteSeconds: 24 * 3600, idleSeconds: 8 * 3600, maxPerUser: 0 },
    });
    await createUserStore(h.db).insert({
      id: 'u1', name: 'alice', email: null, display_name: null, is_admin: 0, is_bot: 0, disabled: 0, password_hash: null,
      must_change_password: 0, is_bootstrap: 0, created_at: 0, updated_at: 0,
    });
  });
  afterEach(async () => {
    await h.dispose();
  });

  it('starts a session from the client, returns its cookie and audits the success once, as the user', async () => {
    const done = await stepFor('https://gatehouse.example.com').signedIn({ user, context, previousSessionSecret: undefined, details: { method: 'password', breakGlass: false } });
    expect((await sessions.validateSession(done.secret))?.id).toBe(done.session.id);
    expect(done.session).toMatchObject({ userId: 'u1', ip: '192.0.2.7', userAgent: 'Firefox', providerId: null });
    expect(done.maxAgeSeconds).toBe(24 * 3600);
    expect(done.cookie).toEqual({ name: '__Host-gatehouse_session', options: { httpOnly: true, sameSite: 'lax', path: '/', secure: true, maxAge: 24 * 3600 } });
    expect(recorded).toEqual([{
      context: { ...context, actorId: 'u1', actorName: 'alice' },
      event: { type: 'auth.login', outcome: 'success', target: { type: 'user', id: 'u1', name: 'alice' }, details: { method: 'password', breakGlass: false } },
    }]);
  });

  it('never reuses the browser\'s session: the previous one ends and a new secret is issued', async () => {
    const step = stepFor('http://127.0.0.1:8585');
    const first = await step.signedIn({ user, context, previousSessionSecret: undefined, details: { method: 'password' } });
    const second = await step.signedIn({ user, context, previousSessionSecret: first.secret, details: { method: 'password' } });
    expect(second.secret).not.toBe(first.secret);
    expect(await sessions.validateSession(first.secret)).toBeUndefined();
    expect(await sessions.validateSession(second.secret)).toBeDefined();
    expect(second.cookie.name).toBe('gatehouse_session');
  });

  it('links an SSO session to its provider session', async () => {
    const done = await stepFor('http://127.0.0.1:8585').signedIn({
      user, context, previousSessionSecret: undefined, details: { method: 'sso', provider: 'onelogin', groups: ['a'] },
      provider: { providerId: 'onelogin', issuer: 'https://op.example', subject: 's-1', sid: 'op-1', idToken: 'id.token.x', refreshToken: 'rt' },
    });
    expect(done.session).toMatchObject({ providerId: 'onelogin', providerIssuer: 'https://op.example', providerSid: 'op-1', hasProviderRefreshToken: true });
    expect(await sessions.providerTokens(done.session.id)).toEqual({ idToken: 'id.token.x', refreshToken: 'rt' });
    expect(recorded.map((r) => r.event.details)).toEqual([{ method: 'sso', provider: 'onelogin', groups: ['a'] }]);
  });
});
