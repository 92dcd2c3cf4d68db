import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchBrowser } from '../support/browser.js';
import { startSsoStack, type SsoStack } from '../support/sso-stack.js';
import { ADMIN_INITIAL_PASSWORD } from '../support/test-app.js';

const READY = existsSync(CHROMIUM) && existsSync('ui/dist/index.html');
if (!READY) console.warn('browser tests skipped: needs /usr/bin/chromium (apt-get install chromium) and a built UI (npm run build)');

/** Collects CSP violations and script errors: the strict policy must hold with the real bundle. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    // Expected 401/403 answers and the IdP's missing favicon are not problems of the UI.
    if (m.type() !== 'error' || /status of 40[13]/.test(m.text()) || m.location().url.endsWith('/favicon.ico')) return;
    problems.push(`${m.text()} ${m.location().url}`);
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  return problems;
}

describe.skipIf(!READY)('web UI in Chromium, against Gatehouse and the development IdP', () => {
  let stack: SsoStack;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  beforeAll(async () => {
    stack = await startSsoStack({
      env: { GATEHOUSE_BASIC_AUTH_ENABLED: 'true', GATEHOUSE_BASIC_AUTH_ADMINS_ONLY: 'false', AUTHORIZER_ADMIN_PRINCIPALS: '[alice,admin]', GATEHOUSE_BOOTSTRAP_ADMINS: '[admin]' },
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  async function signInWithOneLogin(page: Page, user: string, password: string) {
    await page.goto(`${stack.base}/signin`);
    await page.getByRole('link', { name: 'Sign in with OneLogin' }).click();
    await page.getByLabel('User name or e-mail').fill(user);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${stack.base}/profile`);
  }

  it('signs in with OneLogin, shows the profile, manages bots and tokens, ends sessions and logs out at the IdP', async () => {
    const context = await browser.newContext();
    const page = context.pages()[0] ?? (await context.newPage());
    const problems = watch(page);

    await page.goto(`${stack.base}/signin`);
    await expect.poll(() => page.getByRole('link', { name: 'Sign in with OneLogin' }).count()).toBe(1);
    expect(await page.getByLabel('User name or e-mail').count()).toBe(1);
    await page.screenshot({ path: 'docs/screenshots/signin.png' });

    await signInWithOneLogin(page, 'alice', 'alice-demo-password');
    await page.getByRole('heading', { name: 'Alice Adams' }).waitFor();
    expect(await page.getByText('DataSteward').count()).toBeGreaterThan(0);
    expect(await page.getByText('from group “data-stewards” (oidc)').count()).toBe(1);
    await page.screenshot({ path: 'docs/screenshots/profile.png', fullPage: true });

    // Bots: create, generate a token (shown once), use it, revoke it, see the call fail.
    await page.getByRole('link', { name: 'Bots' }).click();
    await page.getByLabel('Name').fill('ui-bot');
    await page.getByRole('button', { name: 'Create bot' }).click();
    const row = page.locator('tr[data-bot="ui-bot"]');
    await row.waitFor();
    await row.getByLabel('Expiry for ui-bot').selectOption('7');
    await row.getByRole('button', { name: 'Generate' }).click();
    const token = await page.getByTestId('secret-value').inputValue();
    expect(token.split('.')).toHaveLength(3);
    await page.screenshot({ path: 'docs/screenshots/bots.png', fullPage: true });
    const callApi = () => fetch(`${stack.base}/api/v1/users/loggedInUser`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
    expect(await callApi()).toBe(200);
    await page.getByRole('button', { name: 'Done' }).click();
    await row.getByRole('button', { name: 'Revoke token' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke token' }).click();
    await page.getByText('Token revoked.').waitFor();
    expect(await callApi()).toBe(401);

    // Sessions: a second browser signs in; "End all other sessions" signs it out.
    const other = await browser.newContext();
    const otherPage = other.pages()[0] ?? (await other.newPage());
    await signInWithOneLogin(otherPage, 'alice', 'alice-demo-password');
    await page.getByRole('link', { name: 'Profile' }).click();
    await page.getByRole('button', { name: 'End all other sessions' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'End all other sessions' }).click();
    await page.getByText('Other sessions ended.').waitFor();
    expect((await otherPage.request.get(`${stack.base}/api/v1/users/loggedInUser`)).status()).toBe(401);

    // Logout goes through the IdP's end-session page.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.toString().startsWith(`${stack.idp.issuer}/logout`));
    expect(await page.getByText('Sign out of').count()).toBe(1);
    expect((await page.request.get(`${stack.base}/api/v1/users/loggedInUser`)).status()).toBe(401);
    expect(problems).toEqual([]);
  });

  it('signs in with a password, forces the initial password change, and explains failures and lockout', async () => {
    const context = await browser.newContext();
    const page = context.pages()[0] ?? (await context.newPage());
    const problems = watch(page);
    await page.goto(`${stack.base}/signin`);
    await page.getByLabel('User name or e-mail').fill('admin');
    await page.getByLabel('Password', { exact: true }).fill(ADMIN_INITIAL_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await page.getByLabel('Current password').fill(ADMIN_INITIAL_PASSWORD);
    await page.getByLabel('New password (at least 8 characters, not a common one)').fill('a brand new secret passphrase');
    await page.getByLabel('New password again').fill('a brand new secret passphrase');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.waitForURL(`${stack.base}/profile`);
    await page.getByRole('link', { name: 'Diagnostics' }).click();
    await page.getByRole('heading', { name: 'Production checklist' }).waitFor();

    const stranger = await browser.newContext();
    const p2 = stranger.pages()[0] ?? (await stranger.newPage());
    await p2.goto(`${stack.base}/signin`);
    for (let i = 0; i < 4; i++) {
      await p2.getByLabel('User name or e-mail').fill('bob');
      await p2.getByLabel('Password', { exact: true }).fill('wrong-password-1');
      await p2.getByRole('button', { name: 'Sign in' }).click();
      await p2.getByRole('alert').waitFor();
    }
    expect(await p2.getByRole('alert').innerText()).toMatch(/wrong, or the account is locked/);
    await p2.goto(`${stack.base}/signin?error=SSO_SIGNUP_DISABLED`);
    expect(await p2.getByRole('alert').innerText()).toMatch(/self-signup is off/);
    expect(problems).toEqual([]);
  });
});
