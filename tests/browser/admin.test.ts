import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, SKIP_BROWSER, watchProblems, type Browser } from '../support/browser.js';
import { startSsoStack, USERS, type SsoStack } from '../support/sso-stack.js';
import { confirm, copyShownSecret, signInWithProvider, unlabelledControls } from './steps.js';

describe.skipIf(SKIP_BROWSER)('administration pages in Chromium (alice is an administrator)', () => {
  let stack: SsoStack;
  let browser: Browser;
  let base: string;
  let admin: Page;
  const problems: string[][] = [];
  const page = async (options?: Parameters<Browser['newPage']>[0]): Promise<Page> => {
    const p = await browser.newPage(options);
    problems.push(watchProblems(p));
    return p;
  };
  const signIn = (p: Page, user: keyof typeof USERS) =>
    signInWithProvider(p, base, { provider: 'OneLogin', user, password: USERS[user].password });
  const open = async (label: string) => {
    await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label }).click();
    await admin.getByRole('heading', { name: label, level: 1 }).waitFor();
    expect(await unlabelledControls(admin)).toEqual([]);
  };
  const bearerStatus = (token: string) =>
    fetch(`${base}/api/v1/users/loggedInUser`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);

  beforeAll(async () => {
    stack = await startSsoStack();
    base = stack.base;
    browser = await launchBrowser();
    admin = await page();
    await signIn(admin, 'alice');
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    expect(problems.flat()).toEqual([]);
  });

  it('bots: create, generate a token with the chosen expiry (shown once), it works, revoke it, it is refused', async () => {
    await open('Bots');
    await admin.getByLabel('Name', { exact: true }).fill('ui-bot');
    await admin.getByLabel(/Description/).fill('Loads lineage from the warehouse.');
    await admin.getByRole('button', { name: 'Create bot' }).click();
    const row = admin.locator('tr[data-bot="ui-bot"]');
    await row.waitFor();
    expect(await row.innerText()).toContain('no token');

    await row.getByLabel('Token expiry for ui-bot').selectOption('7');
    await row.getByRole('button', { name: 'Generate token for ui-bot' }).click();
    const { shown: token, copied } = await copyShownSecret(admin);
    expect(copied).toBe(token);
    expect(token.split('.')).toHaveLength(3);
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { exp: number; iat: number };
    expect(claims.exp - claims.iat).toBe(7 * 86_400);
    await row.getByText(/^expires /).waitFor();
    await admin.screenshot({ path: 'docs/screenshots/bots.png', fullPage: true });
    expect(await bearerStatus(token)).toBe(200);

    await admin.getByRole('button', { name: 'Done, I have stored it' }).click();
    await admin.reload();
    await row.waitFor();
    expect(await admin.content()).not.toContain(token);
    expect(await row.innerText()).not.toContain('last used never'); // the call above

    // A new token replaces the old one, so the UI asks first; the old token is refused from then on.
    await row.getByLabel('Token expiry for ui-bot').selectOption('OneHour');
    await row.getByRole('button', { name: 'Generate token for ui-bot' }).click();
    expect(await admin.getByRole('dialog').getByRole('heading').innerText()).toBe('Replace the token of ui-bot?');
    await confirm(admin, 'Generate');
    const { shown: second } = await copyShownSecret(admin);
    expect(second).not.toBe(token);
    expect(await bearerStatus(token)).toBe(401);
    expect(await bearerStatus(second)).toBe(200);
    await admin.getByRole('button', { name: 'Done, I have stored it' }).click();

    await row.getByRole('button', { name: 'Revoke token of ui-bot' }).click();
    await confirm(admin, 'Revoke token');
    await admin.getByText('Token of ui-bot revoked.').waitFor();
    expect(await bearerStatus(second)).toBe(401);
    expect(await row.innerText()).toContain('no token');

    await row.getByRole('button', { name: 'Delete ui-bot' }).click();
    await confirm(admin, 'Delete');
    await admin.getByText('Bot ui-bot deleted.').waitFor();
    expect(await row.count()).toBe(0);
  });

  it('users: search, edit roles (provider roles stay locked), disable signs the user out, enable, end sessions', async () => {
    const bob = await page();
    await signIn(bob, 'bob');
    await open('Users');
    await admin.getByLabel('Search users').fill('bob');
    await admin.getByRole('button', { name: 'Search' }).click();
    await admin.getByRole('heading', { name: 'Users matching “bob”' }).waitFor();
    const row = admin.locator('tr[data-user="bob"]');
    await expect.poll(() => admin.locator('tbody tr').count()).toBe(1);

    await row.getByRole('button', { name: 'Edit roles of bob' }).click();
    const dialog = admin.getByRole('dialog', { name: 'Roles of bob' });
    expect(await dialog.getByRole('checkbox', { name: /DataConsumer/ }).isDisabled()).toBe(true);
    await dialog.getByRole('checkbox', { name: 'DataSteward', exact: true }).check();
    await dialog.getByRole('button', { name: 'Save roles' }).click();
    await admin.getByText('Roles of bob saved.').waitFor();
    expect(await row.innerText()).toContain('DataSteward');

    await row.getByRole('button', { name: 'Disable bob' }).click();
    await confirm(admin, 'Disable');
    await admin.getByText('bob is disabled.').waitFor();
    expect((await bob.request.get(`${base}/api/v1/users/loggedInUser`)).status()).toBe(401);
    await row.getByRole('button', { name: 'Enable bob' }).click();
    await admin.getByText('bob can sign in again.').waitFor();

    await signIn(bob, 'bob');
    await row.getByRole('button', { name: 'End sessions of bob' }).click();
    await confirm(admin, 'End sessions');
    await admin.getByText('Sessions of bob ended.').waitFor();
    expect((await bob.request.get(`${base}/api/v1/users/loggedInUser`)).status()).toBe(401);
  });

  it('signing keys: rotate makes a new active key, the old one verifies only and can be retired', async () => {
    await open('Signing keys');
    const rows = admin.locator('tbody tr');
    await rows.first().waitFor();
    const before = await rows.count();
    await admin.getByRole('button', { name: 'Rotate now' }).click();
    await confirm(admin, 'Rotate now');
    await admin.getByText('A new key is active.').waitFor();
    await expect.poll(() => rows.count()).toBe(before + 1);
    await expect.poll(() => admin.locator('tbody tr').filter({ hasText: 'Signs new tokens' }).count()).toBe(1);
    const retiring = admin.locator('tbody tr').filter({ hasText: 'Verifies only' }).first();
    const kid = await retiring.getAttribute('data-kid');
    await retiring.getByRole('button', { name: `Retire ${kid}` }).click();
    await confirm(admin, 'Retire');
    await admin.getByText('Key retired.').waitFor();
    expect(await admin.locator(`tr[data-kid="${kid}"]`).innerText()).toContain('Retired');
  });

  it('audit log: the events above, filtered by type and outcome', async () => {
    await open('Audit log');
    await admin.locator('tbody tr').first().waitFor();
    await admin.getByLabel('Event type').fill('key.rotate');
    await admin.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => admin.locator('tbody tr').allInnerTexts()).toEqual([expect.stringContaining('key.rotate')]);
    await admin.getByRole('button', { name: 'Clear' }).click();
    await admin.getByLabel('Outcome').selectOption('failure');
    await admin.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(async () => (await admin.locator('tbody tr').allInnerTexts()).every((t) => t.includes('failure'))).toBe(true);
    expect(await admin.getByRole('navigation', { name: 'Pages of events' }).innerText()).toMatch(/of \d+ events/);
  });

  it('diagnostics: production checklist, the provider reachable with its JWKS key ids, redacted configuration', async () => {
    await open('Diagnostics');
    await admin.getByRole('heading', { name: 'Production checklist' }).waitFor();
    await expect.poll(() => admin.locator('.checklist li').count()).toBeGreaterThan(0);
    const provider = admin.getByRole('row').filter({ hasText: 'OneLogin' });
    expect(await provider.innerText()).toContain('reachable');
    expect(await provider.innerText()).toContain(stack.idp.issuer);
    const config = await admin.locator('pre.config').innerText();
    expect(config.length).toBeGreaterThan(20);
    expect(config).not.toMatch(/BEGIN (RSA )?PRIVATE KEY/);
  });
});
