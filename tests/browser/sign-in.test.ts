import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, SKIP_BROWSER, watchProblems, type Browser } from '../support/browser.js';
import { startSsoStack, type SsoStack } from '../support/sso-stack.js';
import { USER_PASSWORD } from '../support/test-app.js';
import { scrollsSideways, signInWithBasic, tabTo, unlabelledControls } from './steps.js';

const FRANK_INITIAL = 'set-by-admin-Passphrase-1';

describe.skipIf(SKIP_BROWSER)('sign-in page in Chromium (Gatehouse with OneLogin and password sign-in)', () => {
  let stack: SsoStack;
  let browser: Browser;
  let base: string;
  const problems: string[][] = [];
  const page = async (options?: Parameters<Browser['newPage']>[0]): Promise<Page> => {
    const p = await browser.newPage(options);
    problems.push(watchProblems(p));
    return p;
  };
  const alertText = (p: Page) => p.getByRole('alert').innerText();

  beforeAll(async () => {
    stack = await startSsoStack({
      env: { GATEHOUSE_BASIC_AUTH_ENABLED: 'true', GATEHOUSE_BASIC_AUTH_ADMINS_ONLY: 'false', AUTHORIZER_ADMIN_PRINCIPALS: '[alice,admin]', GATEHOUSE_BOOTSTRAP_ADMINS: '[admin]', AUTHENTICATION_ENABLE_SELF_SIGNUP: 'false', GATEHOUSE_MIN_PASSWORD_LENGTH: '16' },
    });
    base = stack.base;
    browser = await launchBrowser();
    // Password users made through the API: dora and erin have chosen their own password, frank (an administrator)
    // still has the one an administrator set, which he must change first.
    await stack.t.userToken('dora');
    await stack.t.userToken('erin');
    const admin = await stack.t.adminToken();
    await stack.t.call({ method: 'POST', url: '/api/v1/users', token: admin, payload: { name: 'frank', email: 'frank@example.com', isAdmin: true } });
    const reset = await stack.t.call({
      method: 'PUT', url: '/api/v1/users/changePassword', token: admin,
      payload: { requestType: 'USER', username: 'frank', newPassword: FRANK_INITIAL, confirmPassword: FRANK_INITIAL },
    });
    expect(reset.statusCode).toBe(200);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    // No CSP violation or script error on any page of any test.
    expect(problems.flat()).toEqual([]);
  });

  it('shows one button per provider and the labelled password form, also at 375 px', async () => {
    const p = await page();
    await p.goto(`${base}/signin`);
    await p.getByRole('link', { name: 'Sign in with OneLogin' }).waitFor();
    expect(await p.getByRole('link', { name: 'Sign in with OneLogin' }).getAttribute('href')).toBe('/api/v1/auth/login?provider=oidc&redirectUri=%2Fprofile');
    expect(await p.getByLabel('User name or e-mail').getAttribute('autocomplete')).toBe('username');
    expect(await p.getByLabel('Password', { exact: true }).getAttribute('autocomplete')).toBe('current-password');
    expect(await unlabelledControls(p)).toEqual([]);
    await expect.poll(() => p.getByRole('banner').count()).toBe(1);
    await expect.poll(() => p.getByRole('main').count()).toBe(1);
    await p.screenshot({ path: 'docs/screenshots/signin.png' });

    const narrow = await page({ viewport: { width: 375, height: 740 } });
    await narrow.goto(`${base}/signin?error=SSO_PROVIDER_ERROR`);
    await narrow.getByRole('link', { name: 'Sign in with OneLogin' }).waitFor();
    expect(await scrollsSideways(narrow)).toBe(false);
  });

  it('sends a signed-out visitor to sign in and back: keyboard only, with the forced change of an admin-set password', async () => {
    const p = await page();
    await p.goto(`${base}/admin/diagnostics`);
    await p.waitForURL(`${base}/signin?returnTo=%2Fadmin%2Fdiagnostics`);
    expect(await p.getByRole('link', { name: 'Sign in with OneLogin' }).getAttribute('href')).toContain('redirectUri=%2Fadmin%2Fdiagnostics');
    await tabTo(p, 'User name or e-mail');
    await p.keyboard.type('frank');
    await p.keyboard.press('Tab');
    await p.keyboard.type(FRANK_INITIAL);
    await p.keyboard.press('Enter');

    await p.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    expect(await unlabelledControls(p)).toEqual([]);
    // The length rule is the server's (GATEHOUSE_MIN_PASSWORD_LENGTH=16 here), not a number of the page's own.
    await p.getByText('At least 16 characters and not a commonly used password.').waitFor();
    for (const label of ['New password', 'New password again']) {
      expect(await p.getByLabel(label, { exact: true }).getAttribute('minlength'), label).toBe('16');
    }
    await p.getByLabel('Current password').fill(FRANK_INITIAL);
    await p.getByLabel('New password', { exact: true }).fill('a brand new secret passphrase');
    await p.getByLabel('New password again').fill('a brand new secret passphrase');
    await p.getByRole('button', { name: 'Change password' }).click();
    await p.waitForURL(`${base}/admin/diagnostics`);
    await p.getByRole('heading', { name: 'Production checklist' }).waitFor();

    // Signing out of a password session goes where the server says: the signed-out page, with the sign-in options.
    await p.getByRole('button', { name: 'Sign out' }).click();
    await p.waitForURL(`${base}/signed-out`);
    await p.getByRole('heading', { name: 'You are signed out.' }).waitFor();
    await p.getByRole('link', { name: 'Sign in with OneLogin' }).waitFor();
    expect((await p.request.get(`${base}/api/v1/users/loggedInUser`)).status()).toBe(401);
  });

  it('explains a wrong password, and a lockout that refuses even the right password', async () => {
    const p = await page();
    await p.goto(`${base}/signin`);
    /** One attempt; resolves with the server's answer once the page has shown it. */
    const attempt = async (password: string) => {
      const answer = p.waitForResponse((r) => r.url() === `${base}/api/v1/auth/basic`);
      await signInWithBasic(p, base, 'dora', password);
      const status = (await answer).status();
      await p.getByRole('button', { name: 'Sign in', exact: true }).and(p.locator(':enabled')).waitFor();
      return status;
    };
    expect(await attempt('not-her-password')).toBe(401);
    expect(await alertText(p)).toMatch(/user name or password is wrong/);
    expect(await p.getByLabel('Password', { exact: true }).inputValue()).toBe('');
    expect(await p.getByLabel('User name or e-mail').inputValue()).toBe('dora');
    expect(await attempt('still-wrong-1')).toBe(401);
    expect(await attempt('still-wrong-2')).toBe(401);
    // Locked now (3 failures): the right password gets the same answer, which says why and what to do.
    expect(await attempt(USER_PASSWORD)).toBe(401);
    expect(p.url()).toBe(`${base}/signin`);
    expect(await alertText(p)).toMatch(/locked for a while: wait a few minutes/);
  });

  it('words every failure the server sends back to /signin?error=CODE', async () => {
    const p = await page();
    const cases: [string, RegExp][] = [
      ['SSO_PROVIDER_ERROR', /access was denied or cancelled/],
      ['SSO_SIGNUP_DISABLED', /self-signup is off/],
      ['SSO_DOMAIN_NOT_ALLOWED', /e-mail domain are not allowed/],
      ['SSO_USER_CONFLICT', /already uses your user name/],
      ['SSO_STATE_MISMATCH', /does not belong to this sign-in attempt/],
      ['SSO_TRANSACTION_MISSING', /expired or was already used/],
      ['SSO_PROVIDER_UNAVAILABLE', /cannot be reached/],
      ['SSO_CODE_EXCHANGE_FAILED', /refused to complete the sign-in for this app \(its client type, secret or authentication method/],
      ['SSO_NONCE_MISMATCH', /made for another sign-in attempt \(its nonce differs\)/],
      ['SSO_ID_TOKEN_INVALID', /ID token failed a check, so you were not signed in\. Please tell your administrator\.$/],
      ['USER_DISABLED', /account is disabled/],
      ['AUTH_INVALID_CREDENTIALS', /locked for a while/],
      ['SSO_SOMETHING_NEW', /Signing in with the sign-in provider failed/],
      ['<script>alert(1)</script>', /Something went wrong/],
    ];
    for (const [code, words] of cases) {
      await p.goto(`${base}/signin?error=${encodeURIComponent(code)}`);
      expect(await alertText(p), code).toMatch(words);
    }
    // An invalid ID token names the failed check the server sent (only a known check name is shown).
    await p.goto(`${base}/signin?error=SSO_ID_TOKEN_INVALID&check=expiry`);
    expect(await alertText(p)).toMatch(/failed a check.*Failed check: expiry\.$/);
    await p.goto(`${base}/signin?error=SSO_ID_TOKEN_INVALID&check=${encodeURIComponent('<b>x</b>')}`);
    expect(await alertText(p)).not.toMatch(/Failed check/);
    await p.goto(`${base}/signin?error=SESSION_EXPIRED`);
    await expect.poll(() => p.getByRole('status').filter({ hasText: 'session has ended' }).count()).toBe(1);
  });

  it('a provider refusal comes back as a plain message: self-signup off for an unknown OneLogin user', async () => {
    const p = await page();
    await p.goto(`${base}/signin`);
    await p.getByRole('link', { name: 'Sign in with OneLogin' }).click();
    await p.getByLabel('User name or e-mail').fill('carol');
    await p.getByLabel('Password', { exact: true }).fill('carol-demo-password');
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.waitForURL(`${base}/signin?error=SSO_SIGNUP_DISABLED`);
    expect(await alertText(p)).toMatch(/do not have an account here yet, and self-signup is off/);
  });

  it('a session that ends while the page is open: the next action says so, and signing in returns to the page', async () => {
    const p = await page();
    await signInWithBasic(p, base, 'erin', USER_PASSWORD);
    await p.waitForURL(`${base}/profile`);
    await p.getByRole('heading', { name: 'Active sessions' }).waitFor();
    stack.t.clock.advance(9 * 3600_000); // past the 8-hour idle timeout
    await p.getByLabel('Token name').fill('too-late');
    await p.getByRole('button', { name: 'Create token' }).click();
    await p.waitForURL(`${base}/signin?error=SESSION_EXPIRED&returnTo=%2Fprofile`);
    await expect.poll(() => p.getByRole('status').filter({ hasText: 'Your session has ended' }).count()).toBe(1);
    await signInWithBasic(p, base, 'erin', USER_PASSWORD);
    await p.waitForURL(`${base}/profile`);
  });
});
