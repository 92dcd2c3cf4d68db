import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INPUT_LIMITS } from '../../src/shared/index.js';
import { messageFor } from '../../ui/src/messages.js';
import { launchBrowser, SKIP_BROWSER, watchProblems, type Browser } from '../support/browser.js';
import { startSsoStack, USERS, type SsoStack } from '../support/sso-stack.js';
import { copyShownSecret, signInWithProvider } from './steps.js';

/** Answers these tests cause on purpose; Chromium logs each failed load as a console error. */
const EXPECTED = [/status of 404 .*\/no-such-page/, /status of 400 .*\/api\/v1\/auth\/basic/];

/**
 * Issue 15, items 5-9: what a first-time user reads. Dialogs opened from table rows, refusals in words, bots with their
 * role and a name suggestion, the profile and admin pages without raw identifiers or JSON, the not-found page. Each
 * screenshot lands in docs/screenshots.
 */
describe.skipIf(SKIP_BROWSER)('the UI speaks plainly (Chromium, OneLogin via the development IdP, password sign-in on)', () => {
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
  const signIn = (p: Page, user: keyof typeof USERS) => {
    // The app's clock is frozen and the provider's ID tokens carry the real time: on a slow machine the tests before
    // would leave the clock far enough behind for a new ID token to look issued in the future. Never moved back.
    if (Date.now() > stack.t.clock.now()) stack.t.clock.set(Date.now());
    return signInWithProvider(p, base, { provider: 'OneLogin', user, password: USERS[user].password });
  };
  const open = async (label: string) => {
    await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label }).click();
    await admin.getByRole('heading', { name: label, level: 1 }).waitFor();
  };
  const bearerStatus = (token: string, path: string) =>
    fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);

  beforeAll(async () => {
    stack = await startSsoStack({
      env: { GATEHOUSE_BASIC_AUTH_ENABLED: 'true', GATEHOUSE_BASIC_AUTH_ADMINS_ONLY: 'false', AUTHORIZER_ADMIN_PRINCIPALS: '[alice,admin]', GATEHOUSE_BOOTSTRAP_ADMINS: '[admin]' },
    });
    base = stack.base;
    browser = await launchBrowser();
    admin = await page();
    await signIn(admin, 'alice');
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    expect(problems.flat().filter((p) => !EXPECTED.some((e) => e.test(p)))).toEqual([]);
  });

  /** How the open dialog is laid out: it must not take the table cell's alignment, wrapping or width. */
  async function dialogLayout(p: Page) {
    const dialog = p.getByRole('dialog');
    await dialog.waitFor();
    return dialog.evaluate((el) => {
      const style = getComputedStyle(el);
      const cut = Array.from(el.querySelectorAll('h2, p')).filter((t) => t.scrollWidth > t.clientWidth + 1).map((t) => t.textContent);
      // "start" is left in a left-to-right page; a table's action cell would make it "right".
      return { textAlign: style.textAlign === 'start' ? 'left' : style.textAlign, whiteSpace: style.whiteSpace, inTable: el.closest('table') !== null, width: Math.round(el.getBoundingClientRect().width), cut };
    });
  }
  const expectReadable = async (p: Page, opener: Locator, question: RegExp) => {
    await opener.click();
    expect(await p.getByRole('dialog').getByRole('heading').innerText()).toMatch(question);
    // 28rem (448 px) wide as every dialog, left-aligned, wrapping, nothing cut.
    expect(await dialogLayout(p)).toEqual({ textAlign: 'left', whiteSpace: 'normal', inTable: false, width: 448, cut: [] });
  };

  it('5. confirmation dialogs opened from table rows read as dialogs: left-aligned, wrapped, full width', async () => {
    const bob = await page();
    await signIn(bob, 'bob');
    await open('Users');
    const bobRow = admin.locator('tr[data-user="bob"]');
    await expectReadable(admin, bobRow.getByRole('button', { name: 'Disable bob' }), /^Disable bob\?$/);
    await admin.screenshot({ path: 'docs/screenshots/confirm-dialog.png' });
    await admin.keyboard.press('Escape');
    await expectReadable(admin, bobRow.getByRole('button', { name: 'End sessions of bob' }), /^Sign bob out everywhere\?$/);
    await admin.keyboard.press('Escape');
    await expectReadable(admin, bobRow.getByRole('button', { name: 'Delete bob' }), /^Delete bob\?$/);
    await admin.keyboard.press('Escape');
    await expectReadable(admin, bobRow.getByRole('button', { name: 'Edit roles of bob' }), /^Roles of bob$/);
    await admin.keyboard.press('Escape');
    // Escape left everything as it was: bob is still signed in.
    expect((await bob.request.get(`${base}/api/v1/users/loggedInUser`)).status()).toBe(200);

    await open('Bots');
    const botRow = admin.locator('tr[data-bot="ingestion-bot"]');
    await botRow.getByRole('button', { name: 'Generate token for ingestion-bot' }).click();
    await admin.getByRole('button', { name: 'Done, I have stored it' }).click();
    await expectReadable(admin, botRow.getByRole('button', { name: 'Revoke token of ingestion-bot' }), /^Revoke the token of ingestion-bot\?$/);
    await admin.keyboard.press('Escape');
    await expectReadable(admin, botRow.getByRole('button', { name: 'Delete ingestion-bot' }), /^Delete the bot ingestion-bot\?$/);
    await admin.keyboard.press('Escape');
  });

  it('6. inputs carry the API\'s limits, and a refusal the server still makes is a sentence, not validator text', async () => {
    const p = await page();
    await p.goto(`${base}/signin`);
    const username = p.getByLabel('User name or e-mail');
    expect(await username.getAttribute('maxlength')).toBe(String(INPUT_LIMITS.signInName));
    expect(await p.getByLabel('Password', { exact: true }).getAttribute('maxlength')).toBe(String(INPUT_LIMITS.password));
    await username.fill('x'.repeat(INPUT_LIMITS.signInName + 44));
    expect((await username.inputValue()).length).toBe(INPUT_LIMITS.signInName);

    // A browser without the limit (an old page, a script): the server refuses, the page says so in words.
    await username.evaluate((el) => el.removeAttribute('maxlength'));
    await username.fill('x'.repeat(INPUT_LIMITS.signInName + 44));
    await p.getByLabel('Password', { exact: true }).fill('whatever-it-is');
    const answer = p.waitForResponse((r) => r.url() === `${base}/api/v1/auth/basic`);
    await p.getByRole('button', { name: 'Sign in', exact: true }).click();
    const refused = await answer;
    expect(refused.status()).toBe(400);
    expect(((await refused.json()) as { detail: string }).detail).toMatch(/must NOT have more than/);
    await expect.poll(() => p.getByRole('alert').innerText()).toBe(messageFor('REQUEST_INVALID'));
    await p.screenshot({ path: 'docs/screenshots/refusal.png' });

    await open('Bots');
    expect(await admin.getByLabel('Name', { exact: true }).getAttribute('maxlength')).toBe(String(INPUT_LIMITS.name));
    expect(await admin.getByLabel(/Description/).getAttribute('maxlength')).toBe(String(INPUT_LIMITS.description));
    // A name that exists: a conflict, in words, with the server's own sentence naming it.
    await admin.getByLabel('Name', { exact: true }).fill('ingestion-bot');
    await admin.getByRole('button', { name: 'Create bot' }).click();
    expect(await admin.getByRole('alert').innerText()).toBe(`${messageFor('CONFLICT')} (A user or bot named "ingestion-bot" exists.)`);
  });

  it('7. bots: a suggested valid name, the role chosen at creation and changed later, applied to the token', async () => {
    await open('Bots');
    const name = admin.getByLabel('Name', { exact: true });
    await name.fill('My Ingest Bot');
    await admin.getByLabel('Role', { exact: true }).selectOption('ProfilerBotRole');
    await admin.getByRole('button', { name: 'Create bot' }).click();
    const use = admin.getByRole('button', { name: 'Use “my-ingest-bot”' });
    await use.waitFor();
    // The page's own words, not the browser's "Please match the requested format".
    expect(await name.evaluate((el: HTMLInputElement) => el.validationMessage)).toBe('');
    expect(await admin.locator('#bot-name-error').innerText()).toMatch(/“My Ingest Bot” cannot be a bot name/);
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    await admin.screenshot({ path: 'docs/screenshots/bot-name.png' });
    await use.click();
    expect(await name.inputValue()).toBe('my-ingest-bot');
    await admin.getByRole('button', { name: 'Create bot' }).click();
    const row = admin.locator('tr[data-bot="my-ingest-bot"]');
    await row.waitFor();
    expect(await row.locator('td').nth(1).innerText()).toMatch(/^ProfilerBotRole/);

    await row.getByRole('button', { name: 'Generate token for my-ingest-bot' }).click();
    const { shown: token } = await copyShownSecret(admin);
    await admin.getByRole('button', { name: 'Done, I have stored it' }).click();
    expect(await bearerStatus(token, '/api/v1/users')).toBe(403);

    await row.getByRole('button', { name: 'Edit roles of my-ingest-bot' }).click();
    const dialog = admin.getByRole('dialog', { name: 'Roles of my-ingest-bot' });
    await dialog.getByRole('checkbox', { name: 'ProfilerBotRole' }).uncheck();
    await dialog.getByRole('checkbox', { name: 'IngestionBotRole' }).check();
    await dialog.getByRole('button', { name: 'Save roles' }).click();
    await admin.getByText('Roles of my-ingest-bot saved.').waitFor();
    expect(await row.locator('td').nth(1).innerText()).toMatch(/^IngestionBotRole/);
    // The ingestion role can list users (OpenMetadata resolves owners so), at once, with the same token.
    expect(await bearerStatus(token, '/api/v1/users')).toBe(200);
    expect(await bearerStatus(token, '/api/v1/system/keys')).toBe(403);
  });

  it('8. profile: the provider by name, why you are an administrator; signed-out message; diagnostics and audit readable', async () => {
    await admin.goto(`${base}/profile`);
    const account = admin.getByRole('region', { name: 'Account' });
    await account.getByText('OneLogin', { exact: false }).first().waitFor();
    const accountText = await account.innerText();
    expect(accountText).toMatch(/Signs in with\s+OneLogin · last sign-in/);
    expect(accountText).not.toContain(stack.idp.issuer);
    expect(accountText).toMatch(/Administrator\s+Yes: your user name is in the server’s list of administrators \(AUTHORIZER_ADMIN_PRINCIPALS\)/);
    expect(accountText).toContain('from group “data-stewards” (OneLogin)');
    const sessions = admin.getByRole('region', { name: 'Active sessions' });
    await sessions.getByRole('row').filter({ hasText: 'This browser' }).waitFor();
    expect(await sessions.getByRole('row').filter({ hasText: 'This browser' }).innerText()).toMatch(/Chrome on Linux · OneLogin/);
    await admin.screenshot({ path: 'docs/screenshots/profile-facts.png', fullPage: true });

    await open('Diagnostics');
    const checklist = admin.locator('.checklist');
    await checklist.locator('li').first().waitFor();
    expect(await checklist.innerText()).not.toContain('`');
    expect(await checklist.locator('code').count()).toBeGreaterThan(0);
    await admin.screenshot({ path: 'docs/screenshots/diagnostics.png', fullPage: true });

    await open('Audit log');
    await admin.getByLabel('Event type').fill('token.generate');
    await admin.getByRole('button', { name: 'Apply' }).click();
    const details = admin.locator('tbody tr').first().locator('td.details');
    await details.locator('dl.details-list').waitFor();
    expect(await details.locator('dt').allInnerTexts()).toEqual(expect.arrayContaining(['jti', 'expiry']));
    expect(await details.innerText()).not.toMatch(/[{}"]/);
    await admin.screenshot({ path: 'docs/screenshots/audit.png', fullPage: true });

    // Sign out of a single sign-on session: the provider asks, then the browser comes back to a page that says so.
    const bob = await page();
    await signIn(bob, 'bob');
    await bob.getByRole('button', { name: 'Sign out' }).click();
    await bob.getByRole('button', { name: 'Yes, sign me out' }).click();
    await bob.waitForURL(`${base}/signed-out`);
    await bob.getByRole('heading', { name: 'You are signed out.' }).waitFor();
    await bob.getByRole('link', { name: 'Sign in with OneLogin' }).waitFor();
    expect((await bob.request.get(`${base}/api/v1/users/loggedInUser`)).status()).toBe(401);
    await bob.screenshot({ path: 'docs/screenshots/signed-out.png' });
  });

  it('9. an unknown address gets the UI\'s own "Page not found" with status 404, signed in or not', async () => {
    const response = await admin.goto(`${base}/no-such-page`);
    expect(response?.status()).toBe(404);
    await admin.getByRole('heading', { name: 'Page not found', level: 1 }).waitFor();
    // The app's layout around it: the banner with the account and the navigation.
    await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My profile' }).waitFor();
    await admin.getByRole('main').getByRole('link', { name: 'Go to your profile' }).waitFor();
    await admin.screenshot({ path: 'docs/screenshots/not-found.png' });
    // Under /admin too: only the pages that exist answer 200.
    const adminMiss = await admin.goto(`${base}/admin/no-such-page`);
    expect(adminMiss?.status()).toBe(404);
    await admin.getByRole('heading', { name: 'Page not found', level: 1 }).waitFor();
    expect((await admin.goto(`${base}/admin/users`))?.status()).toBe(200);

    const visitor = await page();
    const answer = await visitor.goto(`${base}/no-such-page`);
    expect(answer?.status()).toBe(404);
    await visitor.getByRole('heading', { name: 'Page not found', level: 1 }).waitFor();
    expect(visitor.url()).toBe(`${base}/no-such-page`);
    await visitor.getByRole('link', { name: 'Go to the sign-in page' }).click();
    await visitor.waitForURL(`${base}/signin`);
  });
});
