import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CSRF_HEADER_NAME, CSRF_HEADER_VALUE } from '../../src/sessions/index.js';
import { startTestApp, type TestApp, USER_PASSWORD } from '../support/test-app.js';

/** The web UI's password sign-in goes through the one "signed in" step (session, cookie, audit), as SSO does. */
describe('password sign-in in the browser', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp({ GATEHOUSE_MAX_SESSIONS_PER_USER: '2' });
  });
  afterEach(async () => {
    await t.close();
  });

  const headers = () => ({ origin: new URL(t.gatehouse.appDeps.config.server.publicUrl).origin, [CSRF_HEADER_NAME]: CSRF_HEADER_VALUE });
  async function signIn(previous?: string): Promise<string> {
    t.clock.advance(1000);
    const res = await t.call({
      method: 'POST', url: '/api/v1/auth/basic', payload: { username: 'erin', password: USER_PASSWORD }, headers: headers(),
      ...(previous ? { cookies: { gatehouse_session: previous } } : {}),
    });
    const cookie = res.cookies.find((c) => c.name === 'gatehouse_session');
    if (res.statusCode !== 200 || !cookie) throw new Error(`browser sign-in failed: ${res.body}`);
    return cookie.value;
  }
  const live = async (secret: string) => (await t.call({ method: 'GET', url: '/api/v1/users/loggedInUser', cookies: { gatehouse_session: secret } })).statusCode === 200;

  it('signing in again ends the browser\'s previous session before starting the new one, so another device keeps its session', async () => {
    await t.userToken('erin');
    const laptop = await signIn();
    const phone = await signIn();
    // At the limit of two: the phone's old session makes room for its new one; the laptop is not evicted.
    const phoneAgain = await signIn(phone);
    expect({ laptop: await live(laptop), phone: await live(phone), phoneAgain: await live(phoneAgain) }).toEqual({ laptop: true, phone: false, phoneAgain: true });
  });

  it('records one auth.login success for the user, with the method', async () => {
    const erin = await t.userToken('erin');
    await signIn();
    const { data } = await t.gatehouse.services.audit.list({ type: 'auth.login', limit: 50, offset: 0 });
    const browser = data.filter((e) => e.targetId === erin.id && e.outcome === 'success');
    // userToken() signs in twice through the API (before and after the forced password change), then the browser once.
    expect(browser.map((e) => ({ actor: e.actorId, details: e.details }))).toEqual(Array(3).fill({ actor: erin.id, details: { method: 'password', breakGlass: false } }));
  });
});
