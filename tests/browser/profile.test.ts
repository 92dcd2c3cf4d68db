import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, SKIP_BROWSER, watchProblems, type Browser } from '../support/browser.js';
import { startSsoStack, USERS, type SsoStack } from '../support/sso-stack.js';
import { confirm, copyShownSecret, scrollsSideways, signInWithProvider, unlabelledControls } from './steps.js';

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0';

describe.skipIf(SKIP_BROWSER)('profile in Chromium, signed in through OneLogin (the development IdP)', () => {
  let stack: SsoStack;
  let browser: Browser;
  let base: string;
  const problems: string[][] = [];
  const page = async (options?: Parameters<Browser['newPage']>[0]): Promise<Page> => {
    const p = await browser.newPage(options);
    problems.push(watchProblems(p));
    return p;
  };
  const signIn = (p: Page, user: keyof typeof USERS) => {
    // The app's clock is frozen and the provider's ID tokens carry the real time: on a slow machine the tests before
    // would leave the clock far enough behind for a new ID token to look issued in the future. Never moved back.
    if (Date.now() > stack.t.clock.now()) stack.t.clock.set(Date.now());
    return signInWithProvider(p, base, { provider: 'OneLogin', user, password: USERS[user].password });
  };
  /** The signed-in user as the API sees this browser's cookie (200) or not (401). */
  const cookieStatus = async (p: Page) => (await p.request.get(`${base}/api/v1/users/loggedInUser`)).status();
  const bearer = (token: string, method = 'GET', path = '/api/v1/users/loggedInUser', body?: unknown) =>
    fetch(`${base}${path}`, {
      method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
    }).then((r) => r.status);

  beforeAll(async () => {
    stack = await startSsoStack();
    base = stack.base;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    expect(problems.flat()).toEqual([]);
  });

  it('shows name, e-mail, groups, and each role with where it came from', async () => {
    const p = await page();
    await signIn(p, 'alice');
    await p.getByRole('heading', { name: 'Alice Adams', level: 1 }).waitFor();
    const account = p.getByRole('region', { name: 'Account' });
    await expect.poll(() => account.getByText('alice@example.com').count()).toBe(1);
    await expect.poll(() => account.getByRole('listitem').filter({ hasText: 'data-stewards' }).count()).toBe(1);
    const steward = account.getByRole('row').filter({ hasText: 'DataSteward' });
    expect(await steward.innerText()).toContain('from group “data-stewards” (OneLogin)');
    expect(await unlabelledControls(p)).toEqual([]);
    await p.getByRole('row').filter({ hasText: 'This browser' }).waitFor();
    await p.screenshot({ path: 'docs/screenshots/profile.png', fullPage: true });
  });

  it('lists sessions; "End" signs one browser out, "End all other sessions" the rest', async () => {
    const mine = await page();
    const firefox = await page({ userAgent: FIREFOX });
    const third = await page();
    await signIn(firefox, 'alice');
    await signIn(third, 'alice');
    await signIn(mine, 'alice');
    const sessions = mine.getByRole('region', { name: 'Active sessions' });
    await sessions.getByRole('row').filter({ hasText: 'Firefox on Linux' }).waitFor();
    await expect.poll(() => sessions.locator('tbody tr').count()).toBeGreaterThanOrEqual(3);

    await sessions.getByRole('button', { name: 'End session of Firefox on Linux from 127.0.0.1' }).click();
    await confirm(mine, 'End');
    await mine.getByText('Session ended.').waitFor();
    expect(await sessions.getByRole('row').filter({ hasText: 'Firefox on Linux' }).count()).toBe(0);
    expect(await cookieStatus(firefox)).toBe(401);
    expect(await cookieStatus(third)).toBe(200);

    await sessions.getByRole('button', { name: 'End all other sessions' }).click();
    await confirm(mine, 'End all other sessions');
    await mine.getByText('Other sessions ended.').waitFor();
    await expect.poll(() => sessions.locator('tbody tr').count()).toBe(1);
    expect(await cookieStatus(third)).toBe(401);
    expect(await cookieStatus(mine)).toBe(200);
  });

  it('personal access token: made with name, expiry and scope, shown once with Copy, works, revoked, refused', async () => {
    const p = await page();
    await signIn(p, 'alice');
    const tokens = p.getByRole('region', { name: 'Personal access tokens' });
    await tokens.getByLabel('Token name').fill('nightly-export');
    await tokens.getByLabel('Expires after').selectOption('7');
    await tokens.getByLabel('Access', { exact: true }).selectOption('read-only');
    await tokens.getByRole('button', { name: 'Create token' }).click();

    const { shown, copied } = await copyShownSecret(p);
    expect(shown.split('.')).toHaveLength(3);
    expect(copied).toBe(shown);
    expect(await bearer(shown)).toBe(200);
    // Read-only: alice may create bots, her read-only token may not.
    expect(await bearer(shown, 'POST', '/api/v1/bots', { name: 'not-allowed' })).toBe(403);

    const row = tokens.locator('tr[data-token="nightly-export"]');
    expect(await row.innerText()).toContain('Read only');
    await p.getByRole('button', { name: 'Done, I have stored it' }).click();
    expect(await p.getByTestId('secret-value').count()).toBe(0);
    await p.reload();
    await row.waitFor();
    // Never shown again, anywhere on the page; "last used" reflects the call above.
    expect(await p.content()).not.toContain(shown);
    expect(await row.innerText()).not.toMatch(/\bnever\b/);

    await row.getByRole('button', { name: 'Revoke nightly-export' }).click();
    await confirm(p, 'Revoke');
    await p.getByText('Token revoked.').waitFor();
    expect(await row.count()).toBe(0);
    expect(await bearer(shown)).toBe(401);
  });

  it('someone who is not an administrator sees no administration', async () => {
    const p = await page();
    await signIn(p, 'bob');
    const nav = p.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'My profile' }).waitFor();
    expect(await nav.getByRole('link').allInnerTexts()).toEqual(['My profile']);
    await p.goto(`${base}/admin/users`);
    expect(await p.getByRole('alert').innerText()).toMatch(/for administrators/);
  });

  it('works at 375 px: no sideways scrolling, navigation and actions reachable', async () => {
    const p = await page({ viewport: { width: 375, height: 800 } });
    await signIn(p, 'alice');
    await p.getByRole('heading', { name: 'Personal access tokens' }).waitFor();
    expect(await scrollsSideways(p)).toBe(false);
    await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Bots' }).click();
    await p.getByRole('heading', { name: 'Bots', level: 1 }).waitFor();
    expect(await scrollsSideways(p)).toBe(false);
  });

  it('signing out ends the session here and at the provider (its end-session page)', async () => {
    const p = await page();
    await signIn(p, 'alice');
    await p.getByRole('button', { name: 'Sign out' }).click();
    await p.waitForURL((url) => url.toString().startsWith(`${stack.idp.issuer}/logout`));
    await expect.poll(() => p.getByText('Sign out of').count()).toBe(1);
    expect(await cookieStatus(p)).toBe(401);
  });
});
